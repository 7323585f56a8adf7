using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Fulfilment;

/// <summary>What exports and erasures do alike to their job: end it, audited, when the request no longer wants it.</summary>
internal sealed class FulfilmentJobs(IDbContextFactory<ApplicationDbContext> contexts, AuditWriter audit)
{
    /// <summary>The request was withdrawn (or is gone) before the work ran: the job ends, and its stored plan with it.</summary>
    public async Task CancelAsync(JobLease lease, DataSubjectRequest? request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await lease.HoldAsync(db, cancellationToken);
        job.Cancel(lease.Owner);
        await audit.AppendAsync(db, AuditActor.System, AuditActions.FulfilmentCancelled, job.RequestId, request?.SubjectId, new Dictionary<string, string?>
        {
            ["kind"] = job.Kind.ToString(),
            ["stepsDone"] = job.NextStep.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
