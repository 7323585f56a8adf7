using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Policies;

/// <summary>A published version of the privacy policy. Its text is a document under wwwroot-assets/policies.</summary>
public sealed class PolicyVersion
{
    public int Id { get; set; }

    /// <summary>What users see, e.g. "1".</summary>
    public required string Version { get; set; }

    /// <summary>
    /// File name stem for versions shipped as documents: "privacy-policy-v1" reads
    /// privacy-policy-v1.en.txt or .zh-CN.txt. Versions published in the portal keep their text here instead.
    /// </summary>
    public string? DocumentName { get; set; }

    public string? TextEnglish { get; set; }

    public string? TextChinese { get; set; }

    /// <summary>What changed, shown to each user before they agree.</summary>
    public string? SummaryEnglish { get; set; }

    public string? SummaryChinese { get; set; }

    public DateTimeOffset EffectiveFrom { get; set; }

    public string? PublishedBy { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}

public enum ConsentDecision
{
    Agreed = 1,
    Withdrawn = 2,
}

public enum ConsentChannel
{
    Web = 1,
    Api = 2,
    Staff = 3,
}

/// <summary>One agreement to (or withdrawal from) a policy version: who, which version, when, through what.</summary>
public sealed class ConsentRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public int PolicyVersionId { get; set; }

    public PolicyVersion? PolicyVersion { get; set; }

    public ConsentDecision Decision { get; set; }

    public ConsentChannel Channel { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

public static class PolicyLimits
{
    public const int SummaryMaxLength = 2000;
    public const int TextMaxLength = 100_000;
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    /// <summary>The demo company's policy as it stood when the portal went live: the first version.</summary>
    public static readonly PolicyVersion First = new()
    {
        Id = 1,
        Version = "1",
        DocumentName = "privacy-policy-v1",
        EffectiveFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.Property(p => p.Version).HasMaxLength(32);
        builder.Property(p => p.DocumentName).HasMaxLength(128);
        builder.Property(p => p.SummaryEnglish).HasMaxLength(PolicyLimits.SummaryMaxLength);
        builder.Property(p => p.SummaryChinese).HasMaxLength(PolicyLimits.SummaryMaxLength);
        builder.Property(p => p.PublishedBy).HasMaxLength(450);
        builder.HasIndex(p => p.Version).IsUnique();
        builder.HasIndex(p => p.EffectiveFrom);
        builder.HasData(First);
    }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> builder)
    {
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.PolicyVersion).WithMany().HasForeignKey(c => c.PolicyVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.UserId, c.RecordedAt });
    }
}
