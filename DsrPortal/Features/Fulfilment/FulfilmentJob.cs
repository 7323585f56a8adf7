using System.Linq.Expressions;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Fulfilment;

public enum FulfilmentKind
{
    Export = 1,
    Erasure = 2,
}

public enum FulfilmentState
{
    /// <summary>Waiting for its time (a log-off's cooling-off period) or for a worker.</summary>
    Scheduled = 1,
    Running = 2,
    Completed = 3,
    /// <summary>Gave up after repeated failures; supervisors see it and can retry.</summary>
    Failed = 4,
    /// <summary>The request was withdrawn before the work ran.</summary>
    Cancelled = 5,
    /// <summary>An export whose download period ended: the file is gone.</summary>
    Expired = 6,
}

/// <summary>
/// The durable work behind an approved export or deletion. A worker leases it, and every checkpoint is
/// saved here, so a crash or restart resumes where it stopped and a second instance never runs it twice.
/// Every change goes through one method here, which refuses an illegal move with a <see cref="RequestRuleException"/>;
/// taking and renewing the lease are conditional updates, in <see cref="FulfilmentLeases"/> only.
/// </summary>
public sealed class FulfilmentJob
{
    private FulfilmentJob()
    {
    }

    public Guid Id { get; private set; }

    public Guid RequestId { get; private set; }

    public FulfilmentKind Kind { get; private set; }

    public FulfilmentState State { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Not run before this time: the end of a log-off's cooling-off period, or a failed attempt's backoff.</summary>
    public DateTimeOffset NotBefore { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>An erasure's plan (steps with resolved subject keys, the address for the last email): encrypted, cleared when done.</summary>
    public string? ProtectedPlan { get; private set; }

    /// <summary>The checkpoint: steps before this one are done.</summary>
    public int NextStep { get; private set; }

    public int TotalSteps { get; private set; }

    /// <summary>The exception type of the last failure, never its message (which may quote data).</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public long? FileSize { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public int Downloads { get; private set; }

    /// <summary>
    /// Jobs a runner may take now: due, not ended, and nobody's lease running. A job still Running whose
    /// lease expired was left by a runner that died or stalled.
    /// </summary>
    public static Expression<Func<FulfilmentJob, bool>> Leasable(DateTimeOffset now) =>
        j => (j.State == FulfilmentState.Scheduled || j.State == FulfilmentState.Running)
            && j.NotBefore <= now
            && (j.LeaseUntil == null || j.LeaseUntil < now);

    /// <param name="notBefore">Now, or the end of a log-off's cooling-off period, during which the subject can still withdraw.</param>
    public static FulfilmentJob Schedule(Guid requestId, FulfilmentKind kind, DateTimeOffset now, DateTimeOffset notBefore) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = requestId,
        Kind = kind,
        State = FulfilmentState.Scheduled,
        CreatedAt = now,
        NotBefore = notBefore,
    };

    public bool IsLeasedBy(string owner) => State == FulfilmentState.Running && LeaseOwner == owner;

    /// <summary>An erasure's first run stores its plan: from now on every run follows these steps.</summary>
    public void SavePlan(string owner, string protectedPlan, int totalSteps)
    {
        RequireLease(owner);
        Require(Kind == FulfilmentKind.Erasure && ProtectedPlan is null, "Only a deletion that has not started yet can be planned.");
        ProtectedPlan = protectedPlan;
        NextStep = 0;
        TotalSteps = totalSteps;
    }

    /// <summary>A step is done: the checkpoint moves past it. Returns the number of steps done.</summary>
    public int CompleteStep(string owner)
    {
        RequireLease(owner);
        Require(ProtectedPlan is not null && NextStep < TotalSteps, "Every step of this deletion is already done.");
        return ++NextStep;
    }

    /// <summary>The job waits for someone outside the portal: back in the queue at its checkpoint until then, no attempt counted.</summary>
    public void Wait(string owner, DateTimeOffset until)
    {
        RequireLease(owner);
        ReleaseLease();
        State = FulfilmentState.Scheduled;
        NotBefore = until;
    }

    /// <summary>What the job waited for has arrived: it may run again now.</summary>
    public void Wake(DateTimeOffset now)
    {
        if (State == FulfilmentState.Scheduled && NotBefore > now)
        {
            NotBefore = now;
        }
    }

    /// <summary>An attempt failed: resume from the checkpoint after a backoff, or give up after the maximum.</summary>
    /// <returns>Whether the job gave up and now needs a supervisor.</returns>
    public bool FailAttempt(string owner, string errorType, int maxAttempts, DateTimeOffset now)
    {
        RequireLease(owner);
        Attempts++;
        LastError = errorType;
        ReleaseLease();
        if (Attempts >= maxAttempts)
        {
            State = FulfilmentState.Failed;
            return true;
        }

        State = FulfilmentState.Scheduled;
        NotBefore = now + TimeSpan.FromMinutes(Math.Pow(2, Attempts - 1));
        return false;
    }

    /// <summary>
    /// Its runners kept dying (each takeover of an expired lease counted as an attempt): it is not
    /// started again, so a job that kills its process stops instead of looping forever.
    /// </summary>
    public void StopAfterCrashes(string owner, int maxAttempts)
    {
        RequireLease(owner);
        Require(Attempts >= maxAttempts, "This job has attempts left; it is not stopped.");
        LastError = "ProcessEnded";
        State = FulfilmentState.Failed;
        ReleaseLease();
    }

    /// <summary>The request was withdrawn (or is gone) before the work ran: the job ends, and its stored plan with it.</summary>
    public void Cancel(string owner)
    {
        RequireLease(owner);
        State = FulfilmentState.Cancelled;
        ProtectedPlan = null;
        ReleaseLease();
    }

    public void CompleteErasure(string owner, DateTimeOffset now)
    {
        RequireLease(owner);
        Require(Kind == FulfilmentKind.Erasure && NextStep == TotalSteps, "Only a deletion whose every step is done can be completed.");
        Complete(now);
        ProtectedPlan = null;
    }

    public void CompleteExport(string owner, long fileSize, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        RequireLease(owner);
        Require(Kind == FulfilmentKind.Export, "Only an export has a package to download.");
        Complete(now);
        FileSize = fileSize;
        ExpiresAt = expiresAt;
    }

    /// <summary>The requester downloaded the package.</summary>
    public void RecordDownload(DateTimeOffset now)
    {
        Require(Kind == FulfilmentKind.Export && State == FulfilmentState.Completed && ExpiresAt > now,
            "The download period of this export has ended.");
        Downloads++;
    }

    /// <summary>The download period ended: the package was deleted.</summary>
    public void Expire(DateTimeOffset now)
    {
        Require(Kind == FulfilmentKind.Export && State == FulfilmentState.Completed && ExpiresAt <= now,
            "Only a completed export whose download period ended can expire.");
        State = FulfilmentState.Expired;
    }

    /// <summary>A supervisor sends a failed job back to the worker: it resumes at its checkpoint, with its attempts counted afresh.</summary>
    public void RetryFromCheckpoint(DateTimeOffset now)
    {
        Require(State == FulfilmentState.Failed, "Only a failed export or deletion can be retried.");
        State = FulfilmentState.Scheduled;
        Attempts = 0;
        NotBefore = now;
    }

    private void Complete(DateTimeOffset now)
    {
        State = FulfilmentState.Completed;
        CompletedAt = now;
        ReleaseLease();
    }

    private void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseUntil = null;
    }

    private void RequireLease(string owner) =>
        Require(IsLeasedBy(owner), "Another worker has taken over this job; this one stops.");

}

internal sealed class FulfilmentJobConfiguration : IEntityTypeConfiguration<FulfilmentJob>
{
    public void Configure(EntityTypeBuilder<FulfilmentJob> builder)
    {
        builder.HasKey(j => j.Id);
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(j => j.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(j => j.RequestId);
        builder.HasIndex(j => new { j.State, j.NotBefore });
        builder.HasIndex(j => new { j.State, j.ExpiresAt });
        builder.Property(j => j.LeaseOwner).HasMaxLength(200);
        builder.Property(j => j.LastError).HasMaxLength(500);
    }
}
