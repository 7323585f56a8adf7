using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Corrections;

public enum CorrectionDecision
{
    Pending = 0,
    Accepted = 1,
    Refused = 2,
}

/// <summary>
/// One field a correction request asks to change: the value it had when asked, the value proposed, and
/// the agent's decision with its reason. Accepted values are applied through the field's data source.
/// </summary>
public sealed class CorrectionItem
{
    public const int ValueMaxLength = 500;

    public long Id { get; set; }

    public Guid RequestId { get; set; }

    /// <summary>A correctable field's key: "Profile.nickname" (category and column).</summary>
    public required string Field { get; set; }

    public string? ValueWhenAsked { get; set; }

    public required string ProposedValue { get; set; }

    public CorrectionDecision Decision { get; set; }

    /// <summary>Why a field was refused: the requester reads it.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset? AppliedAt { get; set; }
}

internal sealed class CorrectionItemConfiguration : IEntityTypeConfiguration<CorrectionItem>
{
    public void Configure(EntityTypeBuilder<CorrectionItem> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(c => c.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.RequestId);
        builder.Property(c => c.Field).HasMaxLength(200);
        builder.Property(c => c.ValueWhenAsked).HasMaxLength(CorrectionItem.ValueMaxLength);
        builder.Property(c => c.ProposedValue).HasMaxLength(CorrectionItem.ValueMaxLength);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.Property(c => c.Decision).HasConversion<string>().HasMaxLength(16);
    }
}
