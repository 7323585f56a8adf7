using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;

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

    public async Task<AuditVerification> VerifyAsync(ApplicationDbContext db, AuditCheckpoint? checkpoint, CancellationToken cancellationToken = default)
    {
        var head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
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
        // Streamed in sequence order, to the end of the table: memory stays flat however long the trail grows.
        await foreach (var e in db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= expectedSequence).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
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

            if (AuditHasher.Compute(e) != e.Hash)
            {
                return Broken(e.Sequence, expectedSequence - 1, "its content does not match its hash (the event was changed)");
            }

            if (!key.Matches(e.Signature, key.SignEvent(e.Hash)))
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

    private static AuditVerification Broken(long at, long countBefore, string problem) => new(false, countBefore, at, problem);
}
