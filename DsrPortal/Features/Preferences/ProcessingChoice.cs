using DsrPortal.Features.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Preferences;

public enum ProcessingDecision
{
    Allowed = 1,
    Refused = 2,
}

/// <summary>
/// One choice a person made about one use of their data: appended, never changed, so the history shows what
/// was in force when. The latest row per person and purpose is the one in force; with none, the use is allowed
/// for a purpose the agreed policy describes, and refused for one that needs express consent. Its id is the change feed's cursor.
/// </summary>
public sealed class ProcessingChoice
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The purpose's key (<see cref="ProcessingPurpose.Key"/>).</summary>
    public required string Purpose { get; set; }

    public ProcessingDecision Decision { get; set; }

    public ConsentChannel Channel { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class ProcessingChoiceConfiguration : IEntityTypeConfiguration<ProcessingChoice>
{
    public void Configure(EntityTypeBuilder<ProcessingChoice> builder)
    {
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.Purpose).HasMaxLength(ProcessingPurpose.KeyMaxLength);
        builder.Property(c => c.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        // The person's current choices: the latest row per purpose.
        builder.HasIndex(c => new { c.UserId, c.Purpose, c.Id });
    }
}
