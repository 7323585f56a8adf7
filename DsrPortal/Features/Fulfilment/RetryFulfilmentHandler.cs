using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Fulfilment;

/// <summary>
/// A supervisor sends a failed export or deletion back to the worker, which resumes it at its last
/// checkpoint. Only a supervisor may: a job fails after repeated errors, and someone senior decides
/// whether trying again is right. Audited in the same transaction.
/// </summary>
internal sealed class RetryFulfilmentHandler(
    IDbContextFactory<ApplicationDbContext> contexts, AuditWriter audit, RequestChangeNotifier changes, TimeProvider clock)
{
    /// <returns>Null when the job was sent back; otherwise why not, for the supervisor to read.</returns>
    public async Task<WorkflowError?> RetryAsync(Guid jobId, RequestActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await db.FulfilmentJobs.SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        var subjectId = job is null ? null
            : await db.Requests.Where(r => r.Id == job.RequestId).Select(r => r.SubjectId).SingleOrDefaultAsync(cancellationToken);
        if (job is null || subjectId is null || !actor.IsStaff)
        {
            return WorkflowResult.NotFound().Error;
        }

        var failed = new Dictionary<string, string?>
        {
            ["kind"] = job.Kind.ToString(),
            ["step"] = job.NextStep.ToString(CultureInfo.InvariantCulture),
            ["attempts"] = job.Attempts.ToString(CultureInfo.InvariantCulture),
            ["error"] = job.LastError,
        };
        try
        {
            Require(actor.IsSupervisor, "Only a supervisor can retry a failed export or deletion.");
            job.RetryFromCheckpoint(clock.GetUtcNow());
        }
        catch (RequestRuleException e)
        {
            return WorkflowResult.Rule(e).Error;
        }

        await audit.AppendAsync(db, actor.ForAudit, AuditActions.FulfilmentRetried, job.RequestId, subjectId, failed, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return WorkflowResult.Conflict().Error;
        }

        changes.Publish(job.RequestId);
        return null;
    }
}
