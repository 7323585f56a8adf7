using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>
/// Runs due fulfilment jobs. Each is leased with a conditional update first, so two instances never run
/// the same job; a failure is retried with backoff from its last checkpoint; expired exports are purged.
/// </summary>
internal sealed class FulfilmentRunner(
    IDbContextFactory<ApplicationDbContext> contexts,
    FulfilmentLeases leases,
    ExportFulfilment exports,
    ErasureFulfilment erasures,
    AuditWriter audit,
    TimeProvider clock,
    ManualTasks.ManualTaskService manualTasks,
    IOptionsMonitor<FulfilmentOptions> options,
    ILogger<FulfilmentRunner> logger)
{
    private readonly string owner = FulfilmentLeases.NewOwner();

    /// <returns>How many jobs ran to an end (completed, cancelled or given up).</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var finished = 0;
        // Up to ten jobs a round, each taken when the last is done: several instances share the due jobs between them.
        for (var taken = 0; taken < 10 && await leases.TakeNextAsync(owner, cancellationToken) is { } lease; taken++)
        {
            if (await RunAsync(lease, cancellationToken))
            {
                finished++;
            }
        }

        await PurgeExpiredExportsAsync(cancellationToken);
        return finished;
    }

    private async Task<bool> RunAsync(JobLease lease, CancellationToken cancellationToken)
    {
        FulfilmentJob job;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            job = await db.FulfilmentJobs.AsNoTracking().SingleAsync(j => j.Id == lease.JobId, cancellationToken);
        }

        if (job.Attempts >= options.CurrentValue.MaxAttempts)
        {
            // Its runners kept dying: it is not started again.
            return await RecordFailureAsync(lease, job, "ProcessEnded", cancellationToken);
        }

        // The lease is renewed in the background while the job runs, so it can be short: a runner that dies
        // leaves its job to another within a minute, and one that loses its lease stops at once.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(lease, running);
        try
        {
            // Systems answered by hand first: the job waits here until each owner has answered.
            await manualTasks.RequireAnsweredAsync(job, running.Token);
            if (job.Kind == FulfilmentKind.Export)
            {
                await exports.RunAsync(job, lease, running.Token);
            }
            else
            {
                await erasures.RunAsync(job, lease, running.Token);
            }

            return true;
        }
        catch (Exception exception) when (exception is FulfilmentLeaseLostException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Fulfilment job {JobId} lost its lease to another runner; this one stopped", lease.JobId);
            return false;
        }
        catch (FulfilmentWaitException waiting)
        {
            await WaitAsync(lease, waiting, cancellationToken);
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return await RecordFailureAsync(lease, job, exception.GetType().Name, cancellationToken);
        }
        finally
        {
            await running.CancelAsync();
            await heartbeat;
        }
    }

    private async Task HeartbeatAsync(JobLease lease, CancellationTokenSource running)
    {
        var interval = options.CurrentValue.Lease / 3;
        try
        {
            while (!running.IsCancellationRequested)
            {
                // Paced by real time on purpose: the heartbeat stands for a live process. A test that moves portal time
                // past the lease models a runner that froze, whose heartbeat would not have run either.
                await Task.Delay(interval, running.Token);
                await lease.RenewAsync(running.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or FulfilmentLeaseLostException)
        {
            // The job ended, or lost its lease: the work stops with it.
            await running.CancelAsync();
        }
    }

    private async Task WaitAsync(JobLease lease, FulfilmentWaitException waiting, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await leases.HoldAsync(db, lease.JobId, lease.Owner, cancellationToken);
        if (job is null)
        {
            return;
        }

        job.Wait(lease.Owner, clock.GetUtcNow() + waiting.RetryAfter);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Fulfilment job {JobId} waits for {WaitingFor} at step {Step}", job.Id, waiting.WaitingFor, job.NextStep);
    }

    /// <returns>Whether the job gave up (a supervisor must look at it).</returns>
    private async Task<bool> RecordFailureAsync(JobLease lease, FulfilmentJob attempted, string errorType, CancellationToken cancellationToken)
    {
        var maxAttempts = options.CurrentValue.MaxAttempts;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await leases.HoldAsync(db, lease.JobId, lease.Owner, cancellationToken);
        if (job is null)
        {
            logger.LogWarning("Fulfilment job {JobId} failed ({ErrorType}) after losing its lease; the runner that took it over carries on", attempted.Id, errorType);
            return false;
        }

        bool giveUp;
        if (errorType == "ProcessEnded")
        {
            job.StopAfterCrashes(lease.Owner, maxAttempts);
            giveUp = true;
        }
        else
        {
            giveUp = job.FailAttempt(lease.Owner, errorType, maxAttempts, clock.GetUtcNow());
        }

        // The exception's type only: its message may quote a value from the data.
        logger.LogError("Fulfilment job {JobId} ({Kind}) attempt {Attempt} failed at step {Step} ({ErrorType}); {Outcome}",
            job.Id, job.Kind, job.Attempts, job.NextStep, errorType, giveUp ? "giving up: a supervisor must look at it" : "will resume from its checkpoint");
        if (giveUp)
        {
            var subject = await db.Requests.Where(r => r.Id == job.RequestId).Select(r => r.SubjectId).SingleAsync(cancellationToken);
            await audit.AppendAsync(db, AuditActor.System, AuditActions.FulfilmentFailed, job.RequestId, subject, new Dictionary<string, string?>
            {
                ["kind"] = job.Kind.ToString(),
                ["step"] = job.NextStep.ToString(CultureInfo.InvariantCulture),
                ["error"] = errorType,
            }, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
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
            await exports.DeletePackageAsync(item.Job.Id, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            item.Job.Expire(now);
            await audit.AppendAsync(db, AuditActor.System, AuditActions.ExportPurged, item.Job.RequestId, item.SubjectId,
                cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return expired.Count;
    }
}
