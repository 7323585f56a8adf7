using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>The lease a job runs under; each checkpoint renews it, and a lost lease stops the work.</summary>
internal interface IJobLease
{
    Task RenewAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs due fulfilment jobs. Each is leased with a conditional update first, so two instances never run
/// the same job; a failure is retried with backoff from its last checkpoint; expired exports are purged.
/// </summary>
internal sealed class FulfilmentRunner(
    IDbContextFactory<ApplicationDbContext> contexts,
    ExportFulfilment exports,
    ErasureFulfilment erasures,
    AuditWriter audit,
    TimeProvider clock,
    IOptionsMonitor<FulfilmentOptions> options,
    ILogger<FulfilmentRunner> logger)
{
    private static readonly FulfilmentState[] Runnable = [FulfilmentState.Scheduled, FulfilmentState.Running];
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <returns>How many jobs ran to an end (completed, cancelled or given up).</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            due = await db.FulfilmentJobs
                .Where(j => Runnable.Contains(j.State) && j.NotBefore <= now && (j.LeaseUntil == null || j.LeaseUntil < now))
                .OrderBy(j => j.NotBefore)
                .Select(j => j.Id)
                .Take(10)
                .ToListAsync(cancellationToken);
        }

        var finished = 0;
        foreach (var id in due)
        {
            if (await TryLeaseAsync(id, cancellationToken) && await RunAsync(id, cancellationToken))
            {
                finished++;
            }
        }

        await PurgeExpiredExportsAsync(cancellationToken);
        return finished;
    }

    private async Task<bool> TryLeaseAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + options.CurrentValue.Lease;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.FulfilmentJobs
            .Where(j => j.Id == id && Runnable.Contains(j.State) && j.NotBefore <= now && (j.LeaseUntil == null || j.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                // A job still marked Running with an expired lease was left by a runner that died (killed by
                // the operating system, out of memory): that counts as an attempt, so a job that kills its
                // process every time stops after the maximum instead of looping forever.
                .SetProperty(j => j.Attempts, j => j.State == FulfilmentState.Running ? j.Attempts + 1 : j.Attempts)
                .SetProperty(j => j.State, FulfilmentState.Running)
                .SetProperty(j => j.LeaseOwner, owner)
                .SetProperty(j => j.LeaseUntil, until), cancellationToken) == 1;
    }

    private async Task<bool> RunAsync(Guid id, CancellationToken cancellationToken)
    {
        FulfilmentJob job;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            job = await db.FulfilmentJobs.AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken);
        }

        if (job.Attempts >= options.CurrentValue.MaxAttempts)
        {
            // Its runners kept dying: it is not started again.
            return await RetryLaterAsync(job, "ProcessEnded", job.Attempts, cancellationToken);
        }

        var lease = new Lease(this, id);
        // The lease is renewed in the background while the job runs, so it can be short: a runner that dies
        // leaves its job to another within a minute, and one that loses its lease stops at once.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(id, running);
        try
        {
            if (job.Kind == FulfilmentKind.Export)
            {
                await exports.RunAsync(job, owner, lease, running.Token);
            }
            else
            {
                await erasures.RunAsync(job, owner, lease, running.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Fulfilment job {JobId} lost its lease to another runner; this one stopped", id);
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return await RetryLaterAsync(job, exception.GetType().Name, job.Attempts + 1, cancellationToken);
        }
        finally
        {
            await running.CancelAsync();
            await heartbeat;
        }
    }

    private async Task HeartbeatAsync(Guid id, CancellationTokenSource running)
    {
        var interval = options.CurrentValue.Lease / 3;
        try
        {
            while (!running.IsCancellationRequested)
            {
                await Task.Delay(interval, running.Token);
                if (await RenewLeaseAsync(id, running.Token) == 0)
                {
                    await running.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended, or lost its lease.
        }
    }

    private async Task<bool> RetryLaterAsync(FulfilmentJob job, string errorType, int attempts, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var giveUp = attempts >= settings.MaxAttempts;
        var next = clock.GetUtcNow() + TimeSpan.FromMinutes(Math.Pow(2, attempts - 1));
        // The exception's type only: its message may quote a value from the data.
        logger.LogError("Fulfilment job {JobId} ({Kind}) attempt {Attempt} failed at step {Step} ({ErrorType}); {Outcome}",
            job.Id, job.Kind, attempts, job.NextStep, errorType, giveUp ? "giving up: a supervisor must look at it" : "will resume from its checkpoint");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.FulfilmentJobs.Where(j => j.Id == job.Id && j.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, giveUp ? FulfilmentState.Failed : FulfilmentState.Scheduled)
            .SetProperty(j => j.Attempts, attempts)
            .SetProperty(j => j.NotBefore, next)
            .SetProperty(j => j.LastError, errorType)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (updated == 1 && giveUp)
        {
            var subject = await db.Requests.Where(r => r.Id == job.RequestId).Select(r => r.SubjectId).SingleAsync(cancellationToken);
            await audit.AppendAsync(db, AuditActor.System, AuditActions.FulfilmentFailed, job.RequestId, subject,
                new Dictionary<string, string?> { ["kind"] = job.Kind.ToString(), ["step"] = job.NextStep.ToString(System.Globalization.CultureInfo.InvariantCulture), ["error"] = errorType },
                cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return giveUp;
    }

    /// <summary>Deletes export files whose download period ended; the job and the audit trail keep that it happened.</summary>
    public async Task<int> PurgeExpiredExportsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var expired = await db.FulfilmentJobs
            .Where(j => j.Kind == FulfilmentKind.Export && j.State == FulfilmentState.Completed && j.ExpiresAt < now)
            .Join(db.Requests, j => j.RequestId, r => r.Id, (j, r) => new { Job = j, r.SubjectId })
            .Take(100)
            .ToListAsync(cancellationToken);
        foreach (var item in expired)
        {
            exports.DeletePackage(item.Job.Id);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            item.Job.State = FulfilmentState.Expired;
            await audit.AppendAsync(db, AuditActor.System, AuditActions.ExportPurged, item.Job.RequestId, item.SubjectId,
                cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return expired.Count;
    }

    private async Task<int> RenewLeaseAsync(Guid id, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + options.CurrentValue.Lease;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.FulfilmentJobs.Where(j => j.Id == id && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, until), cancellationToken);
    }

    private sealed class Lease(FulfilmentRunner runner, Guid id) : IJobLease
    {
        public async Task RenewAsync(CancellationToken cancellationToken)
        {
            var renewed = await runner.RenewLeaseAsync(id, cancellationToken);
            if (renewed == 0)
            {
                throw new InvalidOperationException("The job's lease was taken over by another instance; this one stops.");
            }
        }
    }
}
