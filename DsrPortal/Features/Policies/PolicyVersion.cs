namespace DsrPortal.Features.Policies;

/// <summary>A published version of the privacy policy. Its text is a document under wwwroot-assets/policies.</summary>
public sealed class PolicyVersion
{
    public int Id { get; set; }

    /// <summary>What users see, e.g. "1".</summary>
    public required string Version { get; set; }

    /// <summary>File name stem: "privacy-policy-v1" reads privacy-policy-v1.en.txt or .zh-CN.txt.</summary>
    public required string DocumentName { get; set; }

    public DateTimeOffset EffectiveFrom { get; set; }
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
