namespace DsrPortal.Features.Api;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Sign-in attempts one client address may make per minute on the API; the next ones get 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Whether anyone may read the API description at /openapi/v1.json. Unset: only in Development; otherwise
    /// signed-in staff only (it maps every endpoint an attacker would probe).
    /// </summary>
    public bool? PublicDescription { get; set; }
}
