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
/// Recomputes the chain from the first event: an edited, deleted, inserted or reordered row breaks a
/// hash or a link, and the first such event is named.
/// </summary>
internal sealed class AuditVerifier
{
    public async Task<AuditVerification> VerifyAsync(ApplicationDbContext db, CancellationToken cancellationToken = default)
    {
        // The head first: events appended while verifying lie beyond it and are left for the next check.
        var head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var last = head?.LastSequence ?? 0;
        // After a retention purge the chain starts at the checkpoint the purge left (and recorded in the chain).
        var expectedSequence = (head?.PurgedThroughSequence ?? 0) + 1;
        var previousHash = head?.PurgedThroughHash ?? AuditHasher.Genesis;
        var checkpointRecorded = expectedSequence == 1;
        // Streamed in sequence order: memory stays flat however long the trail grows.
        await foreach (var e in db.AuditEvents.AsNoTracking().Where(e => e.Sequence <= last && e.Sequence >= expectedSequence).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
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

            checkpointRecorded |= e.Action == AuditActions.RetentionPurged && e.Details.Contains($"\"through\":\"{head!.PurgedThroughSequence}\"", StringComparison.Ordinal);
            previousHash = e.Hash;
            expectedSequence++;
        }

        var count = expectedSequence - 1;
        if (last != count || (head?.LastHash ?? AuditHasher.Genesis) != previousHash)
        {
            return Broken(count + 1, count, $"the trail ends at event {count} but {last} were written (events were removed from the end)");
        }

        if (!checkpointRecorded)
        {
            // A head moved forward by hand would hide deleted events; a real purge announces itself in the chain.
            return Broken(head!.PurgedThroughSequence, 0, "the purge checkpoint is not recorded by any retention event in the chain");
        }

        return new AuditVerification(true, count - (head?.PurgedThroughSequence ?? 0), null, null);
    }

    private static AuditVerification Broken(long at, long countBefore, string problem) => new(false, countBefore, at, problem);
}
