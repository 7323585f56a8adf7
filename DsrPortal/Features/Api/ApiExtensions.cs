using DsrPortal.Hosting;
using System.Threading.RateLimiting;
using DsrPortal.Features.Accounts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Api;

/// <summary>
/// The REST API for the mobile app, under /api/v1 and described at /openapi/v1.json. Data subjects sign in
/// for a bearer token; every other endpoint takes only that token (never the web cookie) and answers
/// in RFC 9457 problem details when something is wrong.
/// </summary>
internal static class ApiExtensions
{
    public const string Prefix = "/api/v1";
    public const string LoginRateLimitPolicy = "login";

    public static IHostApplicationBuilder AddPortalApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddValidatedOptions<ApiOptions>(ApiOptions.SectionName)
            .Validate(o => o.LoginAttemptsPerMinute > 0, "Api:LoginAttemptsPerMinute must be at least 1.");
        services.AddProblemDetails();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address: slows password guessing without letting one guesser lock out everyone else.
            options.AddPolicy(LoginRateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        services.AddOpenApi(options =>
        {
            // The API only: the web pages' own endpoints (sign-out, language switch) are not part of the contract.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// Keeps the web's HTML status pages away from API calls: an error the framework answers without a
    /// body (401 from the token check, 429 from the rate limiter, a bad route value) gets problem details.
    /// Call right after <c>UseStatusCodePagesWithReExecute</c>.
    /// </summary>
    public static WebApplication UsePortalApiProblems(this WebApplication app)
    {
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }

            if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            await next(context);

            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails { Status = response.StatusCode, Detail = DefaultDetail(response.StatusCode) },
                });
            }
        });
        return app;
    }

    public static WebApplication MapPortalApi(this WebApplication app)
    {
        var description = app.MapOpenApi();
        if (!(app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.PublicDescription ?? app.Environment.IsDevelopment()))
        {
            description.RequireAuthorization(policy => policy.RequireRole(PortalRoles.Agent, PortalRoles.Supervisor));
        }

        app.MapGroup(Prefix + "/auth")
            .WithTags("Sign-in")
            .AllowAnonymous()
            .DisableAntiforgery()
            .MapAuthEndpoints()
            .MapRefreshEndpoint()
            .MapPhoneSignInEndpoints();

        app.MapGroup(Prefix)
            .WithTags("Sign-in")
            .AllowAnonymous()
            .MapBotCheckEndpoints();

        // The web's default scheme is the cookie, which redirects to the sign-in page; naming the bearer
        // scheme here makes an API call without a valid token a plain 401.
        app.MapGroup(Prefix)
            .WithTags("Requests")
            .DisableAntiforgery()
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser()
                .RequireRole(PortalRoles.Subject))
            .AddEndpointFilter(RequireCurrentAccountAsync)
            .MapSessionEndpoints()
            .MapRequestEndpoints()
            .MapDataEndpoints()
            .MapPhoneEndpoints()
            .MapDisputeEndpoints()
            .MapCorrectionEndpoints()
            .MapPreferenceEndpoints()
            .MapPolicyEndpoints()
            .MapNoticeEndpoints();
        app.MapPreferenceFeed();
        return app;
    }

    /// <summary>
    /// A bearer token outlives a password change, a disabled account or a completed log-off; checking the
    /// account's security stamp on every call ends such a token at once, as the web's cookie check does within minutes.
    /// </summary>
    internal static async ValueTask<object?> RequireCurrentAccountAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<Data.ApplicationUser>>();
        var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
        if (await signIn.ValidateSecurityStampAsync(context.HttpContext.User) is not { } user || await signIn.UserManager.IsLockedOutAsync(user)
            || !await sessions.IsOpenAsync(context.HttpContext.User, context.HttpContext.RequestAborted))
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, "This sign-in is no longer valid: the account changed or was closed. Sign in again.");
        }

        return await next(context);
    }

    private static string? DefaultDetail(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read; check it against /openapi/v1.json.",
        StatusCodes.Status401Unauthorized => "Sign in first: send the accessToken from POST /api/v1/auth/login as 'Authorization: Bearer <token>'. Tokens expire; sign in again when one does.",
        StatusCodes.Status403Forbidden => "The API is for data subjects.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that method.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with the header Content-Type: application/json.",
        StatusCodes.Status429TooManyRequests => "Too many sign-in attempts from this address. Wait a minute and try again.",
        _ => null,
    };
}
