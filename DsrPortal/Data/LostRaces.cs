using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DsrPortal.Data;

/// <summary>
/// Tells a lost race from a fault, the same way on both databases. A race is another writer getting there
/// first: a concurrency token that moved, a unique key taken (the audit chain's next sequence number), a busy
/// or locked database, a serialization failure or a deadlock. Worth retrying against fresh data. Anything
/// else (NOT NULL, foreign key, CHECK) is a fault that a retry would only repeat.
/// </summary>
internal static class LostRaces
{
    // SQLite's extended result codes: SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;

    // SQLite's primary result codes: SQLITE_BUSY and SQLITE_LOCKED.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool IsLostRace(DbUpdateException e) =>
        e is DbUpdateConcurrencyException
        || e.InnerException switch
        {
            SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked
                || sqlite.SqliteExtendedErrorCode is SqlitePrimaryKey or SqliteUnique,
            PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation
                or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
            _ => false,
        };
}
