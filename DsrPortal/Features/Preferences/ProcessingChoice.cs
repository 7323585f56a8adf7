using DsrPortal.Features.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Preferences;

/// <summary>
/// The uses of a person's data they can refuse on their own, at once and without an agent (policy clause 3,
/// PIPL Art. 24 and 44). Each is refused or allowed on its own.
/// </summary>
public enum ProcessingPurpose
{
    /// <summary>Content and recommendations chosen from what the person reads, searches and likes.</summary>
    PersonalisedRecommendations = 1,

    /// <summary>Advertisements chosen for the person.</summary>
    Advertising = 2,

    /// <summary>Indirect crowd portraits built from feature tags.</summary>
    CrowdPortraits = 3,
}

public enum ProcessingDecision
{
    Allowed = 1,
    Refused = 2,
}

/// <summary>
/// One choice a person made about one use of their data: appended, never changed, so the history shows what
/// was in force when. The latest row per person and purpose is the one in force; with none, the use is allowed
/// (the policy the person agreed to describes it). Its id is the change feed's cursor.
/// </summary>
public sealed class ProcessingChoice
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public ProcessingPurpose Purpose { get; set; }

    public ProcessingDecision Decision { get; set; }

    public ConsentChannel Channel { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class ProcessingChoiceConfiguration : IEntityTypeConfiguration<ProcessingChoice>
{
    public void Configure(EntityTypeBuilder<ProcessingChoice> builder)
    {
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        // The person's current choices: the latest row per purpose.
        builder.HasIndex(c => new { c.UserId, c.Purpose, c.Id });
    }
}
