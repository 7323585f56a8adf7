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
        e is DbUpdateConcurrencyException || IsRaceError(e.InnerException);

    /// <summary>
    /// The same question about an error raised while reading or updating in bulk inside the transaction (PostgreSQL
    /// cancels the statement that closes a deadlock, whichever it is), not only while saving.
    /// </summary>
    public static bool IsLostRace(Exception e) => e is DbUpdateException update ? IsLostRace(update) : IsRaceError(e);

    private static bool IsRaceError(Exception? e) =>
        e switch
        {
            SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked
                || sqlite.SqliteExtendedErrorCode is SqlitePrimaryKey or SqliteUnique,
            PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation
                or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
            _ => false,
        };
}
