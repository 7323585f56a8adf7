using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

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
    public const int FieldMaxLength = 200;
    public const int ValueMaxLength = 500;
    public const int ReasonMaxLength = 1000;

    private CorrectionItem()
    {
    }

    public long Id { get; private set; }

    public Guid RequestId { get; private set; }

    /// <summary>A correctable field's key: "Profile.nickname" (category and column).</summary>
    public string Field { get; private set; } = "";

    public string? ValueWhenAsked { get; private set; }

    public string ProposedValue { get; private set; } = "";

    public CorrectionDecision Decision { get; private set; }

    /// <summary>Why a field was refused: the requester reads it.</summary>
    public string? Reason { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public DateTimeOffset? AppliedAt { get; private set; }

    /// <summary>A field the requester asks to change, with the value its source holds now.</summary>
    public static CorrectionItem Ask(string field, string? valueWhenAsked, string proposedValue)
    {
        return new CorrectionItem { Field = field, ValueWhenAsked = valueWhenAsked, ProposedValue = proposedValue.Trim() };
    }

    /// <summary>The same field, filed under the request once it has an id.</summary>
    public CorrectionItem For(Guid requestId) =>
        new() { RequestId = requestId, Field = Field, ValueWhenAsked = ValueWhenAsked, ProposedValue = ProposedValue };

    /// <summary>The agent's verdict, once; an accepted value has been applied through its source by then.</summary>
    public void Decide(bool accept, string? reason, DateTimeOffset now)
    {
        Require(Decision == CorrectionDecision.Pending, "This field has already been decided.");
        Require(accept || !PortalText.IsBlank(reason), "Give the reason for every field you refuse: the requester is told.");
        Require(accept || reason!.Trim().Length <= ReasonMaxLength, "Keep each reason to 1000 characters.");
        Decision = accept ? CorrectionDecision.Accepted : CorrectionDecision.Refused;
        Reason = accept ? null : reason!.Trim();
        DecidedAt = now;
        AppliedAt = accept ? now : null;
    }
}

internal sealed class CorrectionItemConfiguration : IEntityTypeConfiguration<CorrectionItem>
{
    public void Configure(EntityTypeBuilder<CorrectionItem> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(c => c.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.RequestId);
        builder.Property(c => c.Field).HasMaxLength(CorrectionItem.FieldMaxLength);
        builder.Property(c => c.ValueWhenAsked).HasMaxLength(CorrectionItem.ValueMaxLength);
        builder.Property(c => c.ProposedValue).HasMaxLength(CorrectionItem.ValueMaxLength);
        builder.Property(c => c.Reason).HasMaxLength(CorrectionItem.ReasonMaxLength);
        builder.Property(c => c.Decision).HasConversion<string>().HasMaxLength(16);
    }
}
