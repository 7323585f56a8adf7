using System.Globalization;
using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Api;

/// <summary>
/// Short access tokens (15 minutes) renewed with refresh tokens that rotate: each refresh token works once
/// and yields the next pair; presenting one that was already used means it was copied, so the app session
/// is ended and both the thief's and the owner's tokens stop working.
/// </summary>
internal static class RefreshEndpoint
{
    public const string Refused = "This refresh token no longer works: sign in again.";
    public const string ReuseDetected = "This refresh token was already used, so it may have been copied: for safety this sign-in is ended. Sign in again.";

    public static RouteGroupBuilder MapRefreshEndpoint(this RouteGroupBuilder auth)
    {
        auth.MapPost("/refresh", RefreshAsync)
            .RequireRateLimiting(ApiExtensions.LoginRateLimitPolicy)
            .WithName("Refresh")
            .WithSummary("Trade the refresh token from /login (or the last refresh) for a new access token and refresh token.")
            .WithDescription("Access tokens last 15 minutes, refresh tokens 14 days. Each refresh token works once; reusing one ends the sign-in.")
            .Accepts<RefreshBody>("application/json")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return auth;
    }

    private static async Task<IResult> RefreshAsync(
        HttpRequest http, [FromServices] IOptionsMonitor<BearerTokenOptions> bearer, [FromServices] SignInManager<ApplicationUser> signIn,
        [FromServices] UserSessions sessions, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<RefreshBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var ticket = string.IsNullOrEmpty(body.RefreshToken) || body.RefreshToken.Length > 8192
            ? null
            : bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(body.RefreshToken);
        var principal = ticket?.Principal;
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires < clock.GetUtcNow() || principal is null
            || UserSession.IdOf(principal) is not { } session
            || !int.TryParse(principal.FindFirstValue(UserSession.GenerationClaimType), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            || await signIn.ValidateSecurityStampAsync(principal) is not { } user || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, Refused);
        }

        switch (await sessions.RotateAsync(session, user.Id, generation, cancellationToken))
        {
            case UserSessions.RefreshOutcome.Reused:
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, ReuseDetected);
            case UserSessions.RefreshOutcome.Ended:
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, Refused);
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        // The claims that counted when the session began (a code just typed, for instance) do not carry over.
        await signIn.SignInWithClaimsAsync(user, authenticationProperties: null,
        [
            new Claim(UserSession.ClaimType, session.ToString()),
            new Claim(UserSession.GenerationClaimType, (generation + 1).ToString(CultureInfo.InvariantCulture)),
        ]);
        return TypedResults.Empty;
    }
}

public sealed record RefreshBody(string? RefreshToken);
