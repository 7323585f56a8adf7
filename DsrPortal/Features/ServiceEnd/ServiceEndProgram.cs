using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.ServiceEnd;

public enum ServiceEndState
{
    /// <summary>Everyone was told the date; nothing is erased before it.</summary>
    Announced = 1,

    /// <summary>The date passed: every person with an account gets a deletion of their whole account, in batches.</summary>
    Enrolling = 2,

    /// <summary>The fulfilment worker runs the deletions; failures wait for a supervisor's retry.</summary>
    Erasing = 3,

    /// <summary>The people the company's systems hold who never had an account are erased source by source.</summary>
    Sweeping = 4,

    Finished = 5,

    /// <summary>Called off before the date.</summary>
    Cancelled = 6,
}

/// <summary>
/// The end of the service (policy clause 2.2): announced with a date, then every person's data erased or
/// anonymised through the fulfilment machinery, resumable at every step. One program at a time.
/// </summary>
public sealed class ServiceEndProgram
{
    public int Id { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public DateTimeOffset AnnouncedAt { get; set; }

    public required string StartedBy { get; set; }

    /// <summary>The notice that told everyone.</summary>
    public long NoticeId { get; set; }

    public ServiceEndState State { get; set; }

    /// <summary>The last account enrolled (accounts go in id order): a restart continues after it.</summary>
    public string? EnrolCursor { get; set; }

    public int Enrolled { get; set; }

    /// <summary>The source being swept, and the last person of it erased.</summary>
    public string? SweepSource { get; set; }

    public string? SweepCursor { get; set; }

    public int Swept { get; set; }

    /// <summary>
    /// The current sweep batch's erasure steps, encrypted (they hold the people's keys): saved before any step runs,
    /// so a crash replays the same steps (each is idempotent) instead of losing people whose identifying row went first.
    /// </summary>
    public string? ProtectedSweepPlan { get; set; }

    /// <summary>Rows the sweep touched, per category and action, as JSON: the sweep's share of the report.</summary>
    public string SweepTally { get; set; } = "{}";

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The final report as JSON, written once when the program finishes.</summary>
    public string? Report { get; set; }
}

/// <summary>One account's deletion in a program: which request carries it out.</summary>
public sealed class ServiceEndEnrolment
{
    public int ProgramId { get; set; }

    public required string UserId { get; set; }

    public Guid RequestId { get; set; }
}

internal sealed class ServiceEndProgramConfiguration : IEntityTypeConfiguration<ServiceEndProgram>
{
    public void Configure(EntityTypeBuilder<ServiceEndProgram> builder)
    {
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.StartedBy).HasMaxLength(450);
        builder.Property(p => p.EnrolCursor).HasMaxLength(450);
        builder.Property(p => p.SweepSource).HasMaxLength(64);
        builder.Property(p => p.SweepCursor).HasMaxLength(320);
        builder.Property(p => p.LeaseOwner).HasMaxLength(200);
        builder.Property(p => p.LastError).HasMaxLength(500);
    }
}

internal sealed class ServiceEndEnrolmentConfiguration : IEntityTypeConfiguration<ServiceEndEnrolment>
{
    public void Configure(EntityTypeBuilder<ServiceEndEnrolment> builder)
    {
        builder.HasKey(e => new { e.ProgramId, e.UserId });
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.HasIndex(e => e.RequestId).IsUnique();
    }
}
