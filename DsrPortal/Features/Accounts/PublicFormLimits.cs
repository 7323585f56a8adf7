using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using DsrPortal.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Accounts;

/// <summary>How many posts one client address may send to the public account forms per minute.</summary>
public sealed class PublicFormLimitOptions
{
    public const string SectionName = "RateLimits";

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int FormPostsPerMinute { get; set; } = 20;
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
