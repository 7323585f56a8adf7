namespace DsrPortal.Features.Api;

public sealed class ApiOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>Sign-in attempts one client address may make per minute on the API; the next ones get 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Whether anyone may read the API description at /openapi/v1.json. Unset: only in Development; otherwise
    /// signed-in staff only (it maps every endpoint an attacker would probe).
    /// </summary>
    public bool? PublicDescription { get; set; }

    /// <summary>
    /// The company's back-end services that read the preferences change feed, by name, each with its own key (at
    /// least 32 characters) sent in the X-Service-Key header. Keep the keys in user secrets or the environment.
    /// </summary>
    public Dictionary<string, string> ServiceKeys { get; set; } = [];

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext) =>
        ServiceKeys.Where(k => k.Value is not { Length: >= 32 })
            .Select(k => new System.ComponentModel.DataAnnotations.ValidationResult($"{SectionName}:ServiceKeys:{k.Key} must be at least 32 characters."));
}
