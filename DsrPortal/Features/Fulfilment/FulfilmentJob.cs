using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
/// </summary>
public sealed class FulfilmentJob
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid RequestId { get; set; }

    public FulfilmentKind Kind { get; set; }

    public FulfilmentState State { get; set; } = FulfilmentState.Scheduled;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not run before this time: the end of a log-off's cooling-off period.</summary>
    public DateTimeOffset NotBefore { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public int Attempts { get; set; }

    /// <summary>An erasure's plan (steps with resolved subject keys, the address for the last email): encrypted, cleared when done.</summary>
    public string? ProtectedPlan { get; set; }

    /// <summary>The checkpoint: steps before this one are done.</summary>
    public int NextStep { get; set; }

    public int TotalSteps { get; set; }

    /// <summary>The exception type of the last failure, never its message (which may quote data).</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public long? FileSize { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public int Downloads { get; set; }
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
