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
