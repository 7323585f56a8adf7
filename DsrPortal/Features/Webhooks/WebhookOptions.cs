using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Webhooks;

/// <summary>
/// Where the company's systems hear of choices people make in the portal (objections, withdrawn agreements):
/// each endpoint gets every event it subscribes to, signed with its own secret, retried until it answers 2xx.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    public bool WorkerEnabled { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The wait after the first failure; it doubles with each further one, up to an hour.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (endpoint, index) in Endpoints.Select((e, i) => (e, i)))
        {
            var where = $"{SectionName}:Endpoints:{index}";
            if (string.IsNullOrWhiteSpace(endpoint.Name) || endpoint.Name.Length > 64)
            {
                yield return new ValidationResult($"{where}: give a Name of at most 64 characters.");
            }

            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                yield return new ValidationResult($"{where}: Url must be an absolute http(s) address.");
            }

            if (endpoint.Secret is not { Length: >= 32 })
            {
                yield return new ValidationResult($"{where}: Secret must be at least 32 characters (the receiver checks the signature with it).");
            }
        }

        if (Endpoints.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() != Endpoints.Count)
        {
            yield return new ValidationResult($"{SectionName}:Endpoints: each endpoint needs its own Name.");
        }
    }
}

public sealed class WebhookEndpoint
{
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>The HMAC key the receiver shares; keep it in user secrets or the environment, never in the repository.</summary>
    public string? Secret { get; set; }

    /// <summary>The events it wants (e.g. <c>preference.changed</c>); empty for all.</summary>
    public List<string> Events { get; set; } = [];

    public bool Wants(string @event) => Events.Count == 0 || Events.Contains(@event, StringComparer.Ordinal);
}
