namespace DsrPortal.Features.Api;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Sign-in attempts one client address may make per minute on the API; the next ones get 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;
}
