using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Policies;

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
