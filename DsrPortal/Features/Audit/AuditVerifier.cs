using System.Data.Common;
using System.Text;
using DsrPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DsrPortal.Features.Audit;

public sealed record AuditVerification(bool Intact, long Count, long? BrokenAt, string? Problem)
{
    public override string ToString() => Intact
        ? $"OK {Count} events"
        : $"BROKEN at event {BrokenAt}: {Problem}";
}

/// <summary>
/// Recomputes the chain from the first event and checks every signature: an edited, deleted, inserted
/// or reordered row breaks a hash, a link or a signature, and the first such event is named. The head
/// is never trusted alone: it must be there, carry a valid signature, and no event may lie beyond it.
/// A checkpoint kept outside the database also proves that nothing before it was removed or changed,
/// which catches what no database-only check can: a tail cut off together with a head restored from an
/// older backup.
/// </summary>
internal sealed class AuditVerifier(AuditKey key)
{
    public async Task<AuditVerification> VerifyAsync(ApplicationDbContext db, CancellationToken cancellationToken = default) =>
        await VerifyAsync(db, checkpoint: null, cancellationToken);

    /// <summary>On a context's own connection (so inside its transaction when it has one).</summary>
    public async Task<AuditVerification> VerifyAsync(ApplicationDbContext db, AuditCheckpoint? checkpoint, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await VerifyAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), checkpoint, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// On an open connection, with no EF model: what <c>audit verify</c> runs, so that an operator's check does not first
    /// wait a second for EF to build the portal's model. On SQLite times are read as the portal's context stores them.
    /// </summary>
    public Task<AuditVerification> VerifyAsync(DbConnection connection, AuditCheckpoint? checkpoint, CancellationToken cancellationToken = default) =>
        VerifyAsync(connection, transaction: null, checkpoint, cancellationToken);

    private async Task<AuditVerification> VerifyAsync(DbConnection connection, DbTransaction? transaction, AuditCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(connection, transaction, cancellationToken);
        if (head is null)
        {
            return Broken(1, 0, "the chain's head row is missing (it was deleted)");
        }

        if (!key.Matches(head.Signature, key.SignHead(head.LastSequence, head.LastHash, head.PurgedThroughSequence, head.PurgedThroughHash)))
        {
            return Broken(head.LastSequence, 0, "the head's signature does not match: the head (its last event or the retention checkpoint) was changed without the signing key");
        }

        var last = head.LastSequence;
        // After a retention purge the chain starts at the checkpoint the purge left (and recorded in the chain).
        var expectedSequence = head.PurgedThroughSequence + 1;
        var previousHash = head.PurgedThroughHash;
        var checkpointRecorded = expectedSequence == 1;
        string? hashAtCheckpoint = checkpoint is not null && checkpoint.Sequence == head.PurgedThroughSequence ? head.PurgedThroughHash : null;
        // Streamed in sequence order, to the end of the table, in batches: memory stays flat however long the trail grows.
        // Each event's own hash and signature do not depend on the others, so a batch's are checked on every core first;
        // the order, the links and the checkpoint are then followed one event after another.
        await foreach (var batch in ReadFromAsync(connection, expectedSequence, cancellationToken))
        {
            var faults = CheckEach(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                var e = batch[i];
                if (e.Sequence > last)
                {
                    // Either a writer raced this check (then the next check passes) or the head was wound back by hand.
                    return Broken(e.Sequence, expectedSequence - 1, $"event {e.Sequence} lies beyond the head, which says the trail ends at {last} (the head was wound back)");
                }

                if (e.Sequence != expectedSequence)
                {
                    return Broken(expectedSequence, expectedSequence - 1, $"event {expectedSequence} is missing (next present is {e.Sequence})");
                }

                if (e.PreviousHash != previousHash)
                {
                    return Broken(e.Sequence, expectedSequence - 1, "its link to the previous event does not match (an event was changed, removed or moved)");
                }

                if (faults[i] == Fault.Hash)
                {
                    return Broken(e.Sequence, expectedSequence - 1, "its content does not match its hash (the event was changed)");
                }

                if (faults[i] == Fault.Signature)
                {
                    return Broken(e.Sequence, expectedSequence - 1, "its signature does not match (it was written or rewritten without the signing key)");
                }

                if (checkpoint is not null && e.Sequence == checkpoint.Sequence)
                {
                    hashAtCheckpoint = e.Hash;
                }

                checkpointRecorded |= e.Action == AuditActions.RetentionPurged && e.Details.Contains($"\"through\":\"{head.PurgedThroughSequence}\"", StringComparison.Ordinal);
                previousHash = e.Hash;
                expectedSequence++;
            }
        }

        var count = expectedSequence - 1;
        if (last != count || head.LastHash != previousHash)
        {
            return Broken(count + 1, count, $"the trail ends at event {count} but {last} were written (events were removed from the end)");
        }

        if (!checkpointRecorded)
        {
            // A head moved forward by hand would hide deleted events; a real purge announces itself in the chain.
            return Broken(head.PurgedThroughSequence, 0, "the purge checkpoint is not recorded by any retention event in the chain");
        }

        if (checkpoint is not null && checkpoint.Sequence >= head.PurgedThroughSequence)
        {
            if (checkpoint.Sequence > last)
            {
                return Broken(last + 1, count,
                    $"the checkpoint of {checkpoint.At:u} vouches for {checkpoint.Sequence} events but the trail ends at {last} (events were removed from the end)");
            }

            if (hashAtCheckpoint != checkpoint.Hash)
            {
                return Broken(checkpoint.Sequence, checkpoint.Sequence - 1,
                    $"it differs from the checkpoint of {checkpoint.At:u}: the trail up to there was rewritten");
            }
        }

        return new AuditVerification(true, count - head.PurgedThroughSequence, null, null);
    }

    /// <summary>
    /// The events from <paramref name="from"/> on, in sequence order. They are read on another thread, a batch ahead, so
    /// reading and hashing overlap; on SQLite they are read straight from its statement, without the ADO.NET layer's cost
    /// per value, which on a long trail was most of the time spent.
    /// </summary>
    private static async IAsyncEnumerable<List<AuditEvent>> ReadFromAsync(
        DbConnection connection, long from, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batches = System.Threading.Channels.Channel.CreateBounded<List<AuditEvent>>(new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(async () =>
        {
            try
            {
                var read = connection is SqliteConnection sqlite ? ReadSqlite(sqlite, from) : ReadAny(connection, from);
                var batch = new List<AuditEvent>(Batch);
                foreach (var e in read)
                {
                    batch.Add(e);
                    if (batch.Count == Batch)
                    {
                        await batches.Writer.WriteAsync(batch, stop.Token);
                        batch = new List<AuditEvent>(Batch);
                    }
                }

                await batches.Writer.WriteAsync(batch, stop.Token);
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            // A verification that stops at a broken event stops the reader too, before the connection closes.
            await stop.CancelAsync();
            await Task.WhenAny(reading);
        }
    }

    private const int Batch = 1024;

    private enum Fault : byte
    {
        None = 0,
        Hash = 1,
        Signature = 2,
    }

    /// <summary>Each event's hash recomputed and its signature checked, the batch shared out over the cores.</summary>
    private Fault[] CheckEach(List<AuditEvent> batch)
    {
        var faults = new Fault[batch.Count];
        Parallel.For(0, batch.Count, () => (Signatures: key.CheckEvents(), Hex: new char[64]), (i, _, local) =>
        {
            var e = batch[i];
            AuditHasher.Compute(e.PreviousHash, e.Sequence, e.OccurredAt, e.ActorId, e.ActorRole, e.Action, e.RequestId, e.SubjectPseudonym, e.Details, local.Hex);
            faults[i] = !local.Hex.AsSpan().SequenceEqual(e.Hash) ? Fault.Hash
                : !local.Signatures.Matches(e.Hash, e.Signature) ? Fault.Signature
                : Fault.None;
            return local;
        }, local => local.Signatures.Dispose());
        return faults;
    }

    private const string Columns = """
        SELECT "Sequence", "OccurredAt", "ActorId", "ActorRole", "Action", "RequestId", "SubjectPseudonym", "Details", "PreviousHash", "Hash", "Signature"
        FROM "AuditEvents" WHERE "Sequence" >= @from ORDER BY "Sequence"
        """;

    /// <summary>How the SQLite context stores every DateTimeOffset (SqliteApplicationDbContext's convention).</summary>
    private static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

    private static IEnumerable<AuditEvent> ReadSqlite(SqliteConnection connection, long from)
    {
        if (raw.sqlite3_prepare_v2(connection.Handle, Columns, out var statement) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"Reading the audit trail failed: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
        }

        using (statement)
        {
            raw.sqlite3_bind_int64(statement, 1, from);
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                yield return new AuditEvent
                {
                    Sequence = raw.sqlite3_column_int64(statement, 0),
                    OccurredAt = (DateTimeOffset)SqliteTime.ConvertFromProvider(raw.sqlite3_column_int64(statement, 1))!,
                    ActorId = Text(statement, 2)!,
                    ActorRole = Text(statement, 3)!,
                    Action = Text(statement, 4)!,
                    RequestId = Text(statement, 5) is { } request ? Guid.Parse(request) : null,
                    SubjectPseudonym = Text(statement, 6),
                    Details = Text(statement, 7)!,
                    PreviousHash = Text(statement, 8)!,
                    Hash = Text(statement, 9)!,
                    Signature = Text(statement, 10),
                };
            }

            if (step != raw.SQLITE_DONE)
            {
                throw new InvalidOperationException($"Reading the audit trail failed: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
            }
        }
    }

    private static string? Text(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));

    private static IEnumerable<AuditEvent> ReadAny(DbConnection connection, long from)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Columns;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@from";
        parameter.Value = from;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader(System.Data.CommandBehavior.SequentialAccess);
        while (reader.Read())
        {
            yield return new AuditEvent
            {
                Sequence = reader.GetInt64(0),
                OccurredAt = reader.GetFieldValue<DateTimeOffset>(1),
                ActorId = reader.GetString(2),
                ActorRole = reader.GetString(3),
                Action = reader.GetString(4),
                RequestId = reader.IsDBNull(5) ? null : reader.GetGuid(5),
                SubjectPseudonym = reader.IsDBNull(6) ? null : reader.GetString(6),
                Details = reader.GetString(7),
                PreviousHash = reader.GetString(8),
                Hash = reader.GetString(9),
                Signature = reader.IsDBNull(10) ? null : reader.GetString(10),
            };
        }
    }

    private sealed record Head(long LastSequence, string LastHash, long PurgedThroughSequence, string PurgedThroughHash, string? Signature);

    /// <summary>The head row (the singleton's key); null when it is missing.</summary>
    private static async Task<Head?> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """SELECT "LastSequence", "LastHash", "PurgedThroughSequence", "PurgedThroughHash", "Signature" FROM "AuditHeads" WHERE "Id" = @id""";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = AuditHead.SingletonId;
        command.Parameters.Add(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Head(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }

    private static AuditVerification Broken(long at, long countBefore, string problem) => new(false, countBefore, at, problem);
}
