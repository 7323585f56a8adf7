namespace DsrPortal.Features.DataSources.Http;

/// <summary>
/// A service the portal reaches over HTTP instead of SQL (<c>DataSources:Http</c>): where it is, the shared secret both
/// sides sign with, and the categories it holds with what erasing each does. The protocol is in the README.
/// </summary>
public sealed class HttpSourceOptions
{
    public string Name { get; set; } = "";

    /// <summary>The service's address; the protocol's paths (<c>dsr/count</c>...) are relative to it.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The HMAC key both sides sign with. A secret: set it through the environment or user secrets.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How long one call may take, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a deletion waiting for the service's callback looks again.</summary>
    public TimeSpan CallbackPoll { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After this long without a callback, the deletion is sent again (a failed attempt).</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromHours(24);

    public List<HttpCategoryOptions> Categories { get; set; } = [];

    /// <summary>What is wrong with this source's settings, each naming its setting (<paramref name="where"/>: <c>DataSources:Http:0</c>).</summary>
    internal IEnumerable<string> Errors(string where, HashSet<string> names, HashSet<string> categories)
    {
        if (Sql.DataSourcesOptions.NameError(where, Name, names) is { } name)
        {
            yield return name;
        }

        if (BaseAddress is not { IsAbsoluteUri: true } address || address.Scheme is not ("https" or "http"))
        {
            yield return $"{where}:BaseAddress must be an absolute http or https address.";
        }

        if (Secret.Length < 32)
        {
            yield return $"{where}:Secret must be at least 32 characters; set it through the environment, never in a file in the repository.";
        }

        foreach (var error in Sql.DataSourcesOptions.CategoryErrors(where, Categories, categories))
        {
            yield return error;
        }
    }
}

public sealed class HttpCategoryOptions
{
    /// <summary>The data-inventory category code; described there, or by the texts below.</summary>
    public string Category { get; set; } = "";

    /// <summary>Delete: the service erases it; Retain: kept under <see cref="LegalBasis"/> and never sent for erasure.</summary>
    public HttpErasure Erasure { get; set; } = HttpErasure.Delete;

    public LocalizedText? LegalBasis { get; set; }

    /// <summary>Fields of the category a correction request may change (the service's own names).</summary>
    public List<string> Correctable { get; set; } = [];

    public LocalizedText? Name { get; set; }

    public string? Clause { get; set; }

    public LocalizedText? Purposes { get; set; }

    public LocalizedText? Recipients { get; set; }

    public LocalizedText? Retention { get; set; }

    public LocalizedText? Source { get; set; }
}

public enum HttpErasure
{
    Delete = 1,
    Retain = 2,
}
