using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace DsrPortal.Data;

/// <summary>The work tables whose pending rows senders lease: each has Id, Status, NextAttemptAt, LeaseOwner and LeaseUntil.</summary>
internal enum LeasedTable
{
    OutboxMessages,
    WebhookDeliveries,
}

/// <summary>
/// Taking a batch of due rows from a work table for one sender. On PostgreSQL one statement leases the whole batch,
/// picking rows with <c>FOR UPDATE SKIP LOCKED</c>: instances polling at once each take different rows instead of
/// queueing on the same ones and losing most of their conditional updates. SQLite serves one instance, where the
/// sender's per-row conditional update is enough.
/// </summary>
internal static class LeasedRows
{
    private static readonly Dictionary<LeasedTable, string> Statements = Enum.GetValues<LeasedTable>().ToDictionary(table => table, table => $"""
        UPDATE "{table}" SET "LeaseOwner" = @owner, "LeaseUntil" = @until
        WHERE "Id" IN (
            SELECT "Id" FROM "{table}"
            WHERE "Status" = 'Pending' AND "NextAttemptAt" <= @now AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now)
            ORDER BY "Id" LIMIT @count
            FOR UPDATE SKIP LOCKED)
        RETURNING "Id" AS "Value"
        """);

    /// <summary>Up to <paramref name="count"/> due rows, oldest first, leased to <paramref name="owner"/> until <paramref name="until"/>. PostgreSQL only.</summary>
    public static async Task<List<long>> LeaseDueAsync(this DatabaseFacade database, LeasedTable table, string owner, DateTimeOffset now,
        DateTimeOffset until, int count, CancellationToken cancellationToken)
    {
        var leased = await database.SqlQueryRaw<long>(Statements[table],
            new NpgsqlParameter("owner", owner), new NpgsqlParameter("until", until), new NpgsqlParameter("now", now),
            new NpgsqlParameter("count", count)).ToListAsync(cancellationToken);
        leased.Sort();
        return leased;
    }
}
