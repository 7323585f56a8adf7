using DsrPortal.Data;
using DsrPortal.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Retention;

public sealed record PurgeResult(int Requests, long AuditEventsThrough);

/// <summary>
/// Removes what the retention period no longer allows to keep: requests closed before the cut-off
/// (with their messages and emails) and the oldest stretch of the audit trail. Set-based deletes in one
/// transaction; the purge is itself audited, and leaves a checkpoint the verifier starts from.
/// </summary>
internal sealed class RetentionPurger(
    IDbContextFactory<ApplicationDbContext> contexts, AuditWriter audit, TimeProvider clock, IOptionsMonitor<RetentionOptions> options)
{
    public async Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow().AddYears(-options.CurrentValue.Years);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var expired = db.Requests.Where(r => r.ClosedAt != null && r.ClosedAt < cutoff).Select(r => r.Id);
        await db.OutboxMessages.Where(m => m.RequestId != null && expired.Contains(m.RequestId.Value)).ExecuteDeleteAsync(cancellationToken);
        await db.RequestMessages.Where(m => expired.Contains(m.RequestId)).ExecuteDeleteAsync(cancellationToken);
        await db.RequestAttachments.Where(a => expired.Contains(a.RequestId)).ExecuteDeleteAsync(cancellationToken);
        await db.DisputeProposals.Where(p => expired.Contains(p.RequestId)).ExecuteDeleteAsync(cancellationToken);
        await db.CorrectionItems.Where(c => expired.Contains(c.RequestId)).ExecuteDeleteAsync(cancellationToken);
        await db.FulfilmentJobs.Where(j => expired.Contains(j.RequestId)).ExecuteDeleteAsync(cancellationToken);
        // Guardian links that ended (refused or revoked) long ago go too; verified ones last as long as the minor is a minor.
        var links = await db.GuardianLinks.Where(l => (l.Status == Guardians.GuardianLinkStatus.Revoked && l.EndedAt < cutoff)
            || (l.Status == Guardians.GuardianLinkStatus.Refused && l.DecidedAt < cutoff)).ExecuteDeleteAsync(cancellationToken);
        var requests = await db.Requests.Where(r => r.ClosedAt != null && r.ClosedAt < cutoff).ExecuteDeleteAsync(cancellationToken);

        // Only a prefix of the chain can go: everything up to the first event still inside the period.
        var head = await db.AuditHeads.SingleAsync(cancellationToken);
        var firstKept = await db.AuditEvents.Where(e => e.OccurredAt >= cutoff).MinAsync(e => (long?)e.Sequence, cancellationToken) ?? head.LastSequence + 1;
        var through = Math.Min(firstKept - 1, head.LastSequence);
        var auditPurged = through > head.PurgedThroughSequence;
        if (auditPurged)
        {
            var checkpoint = await db.AuditEvents.Where(e => e.Sequence == through).Select(e => e.Hash).SingleAsync(cancellationToken);
            await db.AuditEvents.Where(e => e.Sequence <= through).ExecuteDeleteAsync(cancellationToken);
            head.PurgedThroughSequence = through;
            head.PurgedThroughHash = checkpoint;
            audit.Seal(head);
        }

        // A run that removed nothing leaves no trace: otherwise every daily run would grow the trail it trims.
        if (requests > 0 || links > 0 || auditPurged)
        {
            await audit.AppendAsync(db, AuditActor.System, AuditActions.RetentionPurged, details: new Dictionary<string, string?>
            {
                ["requests"] = requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["guardianLinks"] = links.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["through"] = head.PurgedThroughSequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["years"] = options.CurrentValue.Years.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken: cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PurgeResult(requests, head.PurgedThroughSequence);
    }
}
