using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace DsrPortal.Features.Api;

/// <summary>Sign-in for the mobile app: email and password for an Identity bearer token.</summary>
internal static class AuthEndpoints
{
    public const string WrongCredentials = "The email or password is not correct.";
    public const string LockedOut = "This account is locked for 15 minutes after repeated failed sign-ins.";
    public const string ConfirmEmail = "Confirm your email address before using the app.";
    public const string SubjectsOnly = "The API is for data subjects.";
    public const string TooManyForAccount = "Too many sign-in attempts for this account. Wait a minute, then try again.";
    public const string TwoFactorNotSupported = "This account uses two-factor sign-in, which the app does not support yet. Sign in on the website instead.";

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/login", LoginAsync)
            .RequireRateLimiting(ApiExtensions.LoginRateLimitPolicy)
            .WithName("Login")
            .WithSummary("Sign in with email and password.")
            .WithDescription("Returns a bearer token for the other endpoints: send it as 'Authorization: Bearer <accessToken>'. "
                + "Only data subjects with a confirmed email address may sign in; attempts per client address are rate-limited.")
            .Accepts<LoginBody>("application/json")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return auth;
    }

    private static async Task<IResult> LoginAsync(
        HttpRequest http,
        [FromServices] UserManager<ApplicationUser> users,
        [FromServices] SignInManager<ApplicationUser> signIn,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<LoginBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body.Email) || string.IsNullOrEmpty(body.Password))
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(body.Email))
            {
                errors["email"] = ["Enter your email address."];
            }

            if (string.IsNullOrEmpty(body.Password))
            {
                errors["password"] = ["Enter your password."];
            }

            return TypedResults.ValidationProblem(errors);
        }

        // Per account, whatever the address: the same answer whether or not the account exists.
        if (!http.HttpContext.RequestServices.GetRequiredService<SignInThrottle>().TryAttempt(body.Email, out var wait))
        {
            http.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiResults.Problem(StatusCodes.Status429TooManyRequests, TooManyForAccount);
        }

        // An unknown address gets the same answer as a wrong password: the API does not say who has an account.
        var user = await users.FindByEmailAsync(body.Email.Trim());
        var result = user is null
            ? await ((PortalSignInManager)signIn).UnknownAccountAsync(body.Email, body.Password, lockoutOnFailure: true)
            : await signIn.CheckPasswordSignInAsync(user, body.Password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, LockedOut);
        }

        // The sign-in manager reports "not allowed" (email unconfirmed) only to someone who knows the password.
        if (result.IsNotAllowed)
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, ConfirmEmail);
        }

        if (!result.Succeeded || user is null)
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, WrongCredentials);
        }

        var roles = await users.GetRolesAsync(user);
        if (!roles.Contains(PortalRoles.Subject) || roles.Any(role => PortalRoles.StaffRoles.Contains(role)))
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, SubjectsOnly);
        }

        // The web sign-in asks for the second factor; the API cannot yet, so it must not skip it.
        if (user.TwoFactorEnabled)
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, TwoFactorNotSupported);
        }

        // As Identity's MapIdentityApi does: the bearer handler writes the token response itself.
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInAsync(user, isPersistent: false);
        return TypedResults.Empty;
    }
}
