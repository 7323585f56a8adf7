using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using DsrPortal.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Accounts;

/// <summary>How many posts one client address may send to the public account forms per minute.</summary>
public sealed class PublicFormLimitOptions
{
    public const string SectionName = "RateLimits";

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int FormPostsPerMinute { get; set; } = 20;

    /// <summary>
    /// Sign-in attempts for one account (by the address typed, whether or not it exists) per minute, on the
    /// web and in the app, from any number of addresses. Spraying one account from many addresses is slowed,
    /// and so is locking someone out by typing wrong passwords: the lockout's five failures take two minutes.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int SignInsPerAccountPerMinute { get; set; } = 3;
}

/// <summary>The per-account side of sign-in limits, in this instance's memory (bounded).</summary>
internal sealed class SignInThrottle(Microsoft.Extensions.Options.IOptionsMonitor<PublicFormLimitOptions> options, TimeProvider clock) : IDisposable
{
    private readonly Microsoft.Extensions.Caching.Memory.MemoryCache attempts = new(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Counts an attempt for the account; false (and how long to wait) when it is over the limit.</summary>
    public bool TryAttempt(string? account, out TimeSpan retryAfter)
    {
        var key = (account ?? "").Trim().ToUpperInvariant();
        var now = clock.GetUtcNow();
        var window = attempts.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromMinutes(2);
            return new Queue<DateTimeOffset>();
        })!;
        lock (window)
        {
            while (window.Count > 0 && window.Peek() <= now.AddMinutes(-1))
            {
                window.Dequeue();
            }

            if (window.Count >= options.CurrentValue.SignInsPerAccountPerMinute)
            {
                retryAfter = window.Peek().AddMinutes(1) - now;
                return false;
            }

            window.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    public void Dispose() => attempts.Dispose();
}

/// <summary>
/// Sign-in, registration, password reset and code entry pages, posted from one address, are slowed per
/// minute (password spraying, SMS and email pumping); reading the pages is never limited. Per account and
/// per number, Identity's lockout and the code throttle apply besides.
/// </summary>
internal static class PublicFormLimits
{
    public const string Policy = "public-forms";

    private static readonly HashSet<string> Forms = new(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/ResetPassword",
        "/Account/ResendEmailConfirmation", "/Account/ConfirmPhone", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode",
        "/Account/Manage/PhoneNumber", "/make-a-request", "/agent-consent/{Token}",
    };

    public static void AddPublicFormLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Policy, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = context.RequestServices.GetRequiredService<IOptions<PublicFormLimitOptions>>().Value.FormPostsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                : RateLimitPartition.GetNoLimiter("read"));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    return; // The API's problem details say it (UsePortalApiProblems).
                }

                // A page of its own: the status-code page would otherwise say "not found".
                var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                response.ContentType = "text/html; charset=utf-8";
                var title = WebUtility.HtmlEncode(l["Too many attempts"]);
                var text = WebUtility.HtmlEncode(l["Too many attempts from your network address. Wait a minute, then go back and try again."]);
                await response.WriteAsync(
                    $"<!DOCTYPE html><html lang=\"{PortalCultures.Current}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                    + $"<body><main><h1>{title}</h1><p data-testid=\"rate-limited\">{text}</p></main></body></html>", cancellationToken);
            };
        });

    /// <summary>Puts the public forms under <see cref="Policy"/>.</summary>
    public static TBuilder LimitPublicForms<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && Forms.Contains("/" + (route.RoutePattern.RawText ?? "").TrimStart('/')))
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(Policy));
            }
        });
        return builder;
    }
}
