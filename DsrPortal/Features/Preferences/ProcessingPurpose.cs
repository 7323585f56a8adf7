using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Preferences;

/// <summary>What a use of data rests on, and so what applies while the person has not chosen.</summary>
public enum PurposeBasis
{
    /// <summary>Described in the policy the person agreed to: it applies until they refuse it (policy clause 3).</summary>
    Refusable = 1,

    /// <summary>A new purpose or sharing with a third party: it applies only once the person expressly agrees (clause 4, PIPL Art. 14 and 23).</summary>
    ExpressConsent = 2,
}

/// <summary>
/// A use of people's data, kept as data so the company can add one (a new function, sharing with a named
/// recipient) without a release. Each has its own consent history (<see cref="ProcessingChoice"/>). Purposes
/// are never deleted, since the history refers to them; one no longer pursued is retired and leaves My data.
/// </summary>
public sealed class ProcessingPurpose
{
    public const int KeyMaxLength = 32;
    public const int NameMaxLength = 120;
    public const int DescriptionMaxLength = 1000;

    public const string PersonalisedRecommendations = "PersonalisedRecommendations";
    public const string Advertising = "Advertising";
    public const string CrowdPortraits = "CrowdPortraits";

    /// <summary>The stable code the API, webhooks and the change feed carry, e.g. "Advertising".</summary>
    public required string Key { get; set; }

    public PurposeBasis Basis { get; set; }

    /// <summary>The third party the data goes to, by name, when the purpose is sharing; null otherwise.</summary>
    public string? Recipient { get; set; }

    public required string NameEnglish { get; set; }

    public required string NameChinese { get; set; }

    public required string DescriptionEnglish { get; set; }

    public required string DescriptionChinese { get; set; }

    /// <summary>Order on My data.</summary>
    public int Position { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }

    public string Name(string culture) => PortalCultures.Normalize(culture) == PortalCultures.SimplifiedChinese ? NameChinese : NameEnglish;

    public string Description(string culture) => PortalCultures.Normalize(culture) == PortalCultures.SimplifiedChinese ? DescriptionChinese : DescriptionEnglish;

    /// <summary>What is in force while the person has not chosen.</summary>
    public ProcessingDecision Default => Basis == PurposeBasis.Refusable ? ProcessingDecision.Allowed : ProcessingDecision.Refused;
}

internal sealed class ProcessingPurposeConfiguration : IEntityTypeConfiguration<ProcessingPurpose>
{
    private static readonly DateTimeOffset Launch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Configure(EntityTypeBuilder<ProcessingPurpose> builder)
    {
        builder.HasKey(p => p.Key);
        builder.Property(p => p.Key).HasMaxLength(ProcessingPurpose.KeyMaxLength);
        builder.Property(p => p.Basis).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Recipient).HasMaxLength(ProcessingPurpose.NameMaxLength);
        builder.Property(p => p.NameEnglish).HasMaxLength(ProcessingPurpose.NameMaxLength);
        builder.Property(p => p.NameChinese).HasMaxLength(ProcessingPurpose.NameMaxLength);
        builder.Property(p => p.DescriptionEnglish).HasMaxLength(ProcessingPurpose.DescriptionMaxLength);
        builder.Property(p => p.DescriptionChinese).HasMaxLength(ProcessingPurpose.DescriptionMaxLength);
        builder.Ignore(p => p.Default);

        // The uses the first policy describes (clause 3): a person may refuse each.
        builder.HasData(
            new ProcessingPurpose
            {
                Key = ProcessingPurpose.PersonalisedRecommendations,
                Basis = PurposeBasis.Refusable,
                Position = 1,
                CreatedAt = Launch,
                NameEnglish = "Personalised recommendations",
                NameChinese = "个性化推荐",
                DescriptionEnglish = "Content and dynamics picked from what you search, read and like (policy clauses 1.4 and 3). Refused: you see content not chosen from your personal characteristics.",
                DescriptionChinese = "根据您的搜索、阅读和点赞挑选的内容和动态（隐私政策第1.4条和第3条）。拒绝后：您看到的内容不针对您的个人特征。",
            },
            new ProcessingPurpose
            {
                Key = ProcessingPurpose.Advertising,
                Basis = PurposeBasis.Refusable,
                Position = 2,
                CreatedAt = Launch,
                NameEnglish = "Advertising chosen for you",
                NameChinese = "为您定向推送的广告",
                DescriptionEnglish = "Advertisements chosen from how you use the app (policy clause 3). Refused: any advertisements you see are not chosen for you.",
                DescriptionChinese = "根据您使用应用的情况挑选的广告（隐私政策第3条）。拒绝后：您看到的广告不再为您定向挑选。",
            },
            new ProcessingPurpose
            {
                Key = ProcessingPurpose.CrowdPortraits,
                Basis = PurposeBasis.Refusable,
                Position = 3,
                CreatedAt = Launch,
                NameEnglish = "Crowd portraits",
                NameChinese = "人群画像",
                DescriptionEnglish = "Indirect portraits of groups of users built from feature tags (policy clause 3). Refused: your data is left out of them.",
                DescriptionChinese = "根据特征标签形成的间接人群画像（隐私政策第3条）。拒绝后：您的信息不再用于人群画像。",
            });
    }
}
