using System.Net;
using Microsoft.Extensions.Options;

namespace DsrPortal.Hosting;

/// <summary>The <c>ReverseProxy</c> section: whether to believe X-Forwarded-For and -Proto, and from whom.</summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    public bool Enabled { get; set; }

    /// <summary>IP addresses of the proxies whose forwarded headers are believed; loopback always is.</summary>
    public List<string> KnownProxies { get; set; } = [];
}

internal sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        var failures = options.KnownProxies
            .Select((proxy, i) => IPAddress.TryParse(proxy, out _) ? null : $"ReverseProxy:KnownProxies:{i} is '{proxy}', which is not an IP address.")
            .OfType<string>()
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
