using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>
/// The leases jobs run under, and the only set-based writes to a job: taking a lease and renewing it are
/// conditional updates, so of two runners only one wins. Everything else a runner saves goes through
/// <see cref="JobLease.HoldAsync"/>, which renews the lease inside the saving transaction first.
/// </summary>
internal sealed class FulfilmentLeases(IDbContextFactory<ApplicationDbContext> contexts, TimeProvider clock, IOptionsMonitor<FulfilmentOptions> options)
{
    /// <summary>A name no other runner, in this process or another, shares.</summary>
    public static string NewOwner() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task<IReadOnlyList<Guid>> DueAsync(int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.FulfilmentJobs.Where(FulfilmentJob.Leasable(clock.GetUtcNow()))
            .OrderBy(j => j.NotBefore)
            .Select(j => j.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The next due job, leased to <paramref name="owner"/>; null when none is due. On PostgreSQL the job is picked with
    /// <c>FOR UPDATE SKIP LOCKED</c>, so instances polling at once each take a different job instead of racing for the
    /// same one; on SQLite (one instance) the first due job that a conditional update wins.
    /// </summary>
    public async Task<JobLease?> TakeNextAsync(string owner, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsNpgsql())
            {
                var now = clock.GetUtcNow();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var next = await db.Database.SqlQuery<Guid>($"""
                    SELECT "Id" AS "Value" FROM "FulfilmentJobs"
                    WHERE "State" IN ('Scheduled', 'Running') AND "NotBefore" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                    ORDER BY "NotBefore" LIMIT 1 FOR UPDATE SKIP LOCKED
                    """).ToListAsync(cancellationToken);
                if (next.Count == 0)
                {
                    return null;
                }

                var lease = await TryTakeAsync(db, next[0], owner, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return lease;
            }
        }

        foreach (var id in await DueAsync(10, cancellationToken))
        {
            if (await TryTakeAsync(id, owner, cancellationToken) is { } lease)
            {
                return lease;
            }
        }

        return null;
    }

    /// <returns>The lease, or null when another runner holds the job or it is no longer due.</returns>
    public async Task<JobLease?> TryTakeAsync(Guid jobId, string owner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await TryTakeAsync(db, jobId, owner, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<JobLease?> TryTakeAsync(ApplicationDbContext db, Guid jobId, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + options.CurrentValue.Lease;
        var taken = await db.FulfilmentJobs.Where(j => j.Id == jobId).Where(FulfilmentJob.Leasable(now)).ExecuteUpdateAsync(s => s
            // A job still Running here was left by a runner that died (killed by the operating system, out of
            // memory): that counts as an attempt, so a job that kills its process every time stops at the maximum.
            .SetProperty(j => j.Attempts, j => j.State == FulfilmentState.Running ? j.Attempts + 1 : j.Attempts)
            .SetProperty(j => j.State, FulfilmentState.Running)
            .SetProperty(j => j.LeaseOwner, owner)
            .SetProperty(j => j.LeaseUntil, until), cancellationToken);
        return taken == 1 ? new JobLease(this, jobId, owner) : null;
    }

    /// <returns>False when the lease was lost: it expired and another runner took the job.</returns>
    public async Task<bool> RenewAsync(Guid jobId, string owner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await RenewAsync(db, jobId, owner, cancellationToken);
    }

    /// <summary>The job, tracked by <paramref name="db"/>, if <paramref name="owner"/> still holds it; null when the lease was lost.</summary>
    public async Task<FulfilmentJob?> HoldAsync(ApplicationDbContext db, Guid jobId, string owner, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Hold a job's lease inside the transaction that saves the job.");
        }

        // Renewed inside the caller's transaction: until it commits, no other runner can take the job.
        return await RenewAsync(db, jobId, owner, cancellationToken)
            ? await db.FulfilmentJobs.SingleAsync(j => j.Id == jobId, cancellationToken)
            : null;
    }

    private async Task<bool> RenewAsync(ApplicationDbContext db, Guid jobId, string owner, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + options.CurrentValue.Lease;
        return await db.FulfilmentJobs.Where(j => j.Id == jobId && j.State == FulfilmentState.Running && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, until), cancellationToken) == 1;
    }
}

/// <summary>One runner's lease on one job. A lost lease throws <see cref="FulfilmentLeaseLostException"/>: the work stops, and writes nothing more.</summary>
internal sealed class JobLease(FulfilmentLeases leases, Guid jobId, string owner)
{
    public Guid JobId => jobId;

    public string Owner => owner;

    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (!await leases.RenewAsync(jobId, owner, cancellationToken))
        {
            throw new FulfilmentLeaseLostException(jobId);
        }
    }

    /// <summary>The job, tracked by <paramref name="db"/>, for a change saved in db's current transaction.</summary>
    public async Task<FulfilmentJob> HoldAsync(ApplicationDbContext db, CancellationToken cancellationToken) =>
        await leases.HoldAsync(db, jobId, owner, cancellationToken) ?? throw new FulfilmentLeaseLostException(jobId);
}

/// <summary>Another runner took the job over (this one stalled past its lease); this one stops without saving anything.</summary>
internal sealed class FulfilmentLeaseLostException(Guid jobId)
    : Exception($"Fulfilment job {jobId} was taken over by another runner; this one stops.");
