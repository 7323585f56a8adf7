using System.Globalization;
using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Verification;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Api;

/// <summary>
/// Mobile numbers in the app: signing in with a text-message code, and proving or changing the
/// account's number. A number counts for matching data only once proven.
/// </summary>
internal static class PhoneEndpoints
{
    public const string WrongCode = "The number or the code is not right. Ask for a new code if it expired.";

    public static RouteGroupBuilder MapPhoneSignInEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/sms/code", SendSignInCodeAsync)
            .RequireRateLimiting(ApiExtensions.LoginRateLimitPolicy)
            .RequireBotCheck()
            .WithName("SendSignInCode")
            .WithSummary("Send a sign-in code by text message to a mobile number.")
            .WithDescription("The answer is the same whether or not an account has proven this number; only then does a text message go out. "
                + "Codes have 6 digits, live 10 minutes and allow 5 tries; a number gets at most one code a minute and five an hour (429 with Retry-After).")
            .Accepts<PhoneCodeBody>("application/json")
            .ProducesCodeSent();
        auth.MapPost("/sms/login", SignInWithCodeAsync)
            .RequireRateLimiting(ApiExtensions.LoginRateLimitPolicy)
            .WithName("SignInWithCode")
            .WithSummary("Sign in with a mobile number and the code sent to it; returns a bearer token like /login.")
            .Accepts<PhoneProofBody>("application/json")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return auth;
    }

    public static RouteGroupBuilder MapPhoneEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me/phone", GetPhoneAsync)
            .WithName("GetPhone")
            .WithSummary("Your mobile number (masked) and whether it is proven.")
            .Produces<PhoneResponse>();
        api.MapPost("/me/phone/code", SendProofCodeAsync)
            .WithName("SendPhoneProofCode")
            .WithSummary("Send a code to your number, or to a new number you want instead, to prove it.")
            .Accepts<PhoneCodeBody>("application/json")
            .ProducesCodeSent(botChecked: false);
        api.MapPost("/requests/{id:guid}/verification/code", SendRequestCodeAsync)
            .WithName("SendRequestConfirmationCode")
            .WithSummary("For a request awaiting verification (an export or a deletion, or any request before your number is proven): send a code to your proven number.")
            .Produces<CodeSentResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/requests/{id:guid}/verification", ConfirmRequestAsync)
            .WithName("ConfirmRequest")
            .WithSummary("Confirm it is you with the code from the text message (or, with method \"authenticator\", from your authenticator app): the request joins the queue.")
            .Accepts<ConfirmRequestBody>("application/json")
            .Produces<RequestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/me/phone", ProveAsync)
            .WithName("ProvePhone")
            .WithSummary("Prove the number with the code it received: it becomes (or replaces) the account's number, and My data then includes what the company's services hold under it.")
            .Accepts<PhoneProofBody>("application/json")
            .Produces<PhoneResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> SendSignInCodeAsync(
        HttpRequest http, [FromServices] OneTimeCodes codes, [FromServices] PhoneProof proof, [FromServices] UserManager<ApplicationUser> users,
        [FromServices] IOptions<VerificationOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<PhoneCodeBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (PhoneNumbers.Normalize(body.Phone) is not { } phone)
        {
            return InvalidPhone();
        }

        // Only a data subject's proven number receives a text; every number gets the same answer and the same throttle.
        var owner = await proof.FindByProvenPhoneAsync(phone, cancellationToken);
        var deliver = owner is not null && await users.IsInRoleAsync(owner, PortalRoles.Subject);
        var culture = owner?.PreferredCulture ?? PortalCultures.Current;
        return Sent(http.HttpContext, await codes.SendAsync(CodePurpose.SignIn, phone, null, culture, deliver, cancellationToken), options.Value);
    }

    private static async Task<IResult> SignInWithCodeAsync(
        HttpRequest http, [FromServices] OneTimeCodes codes, [FromServices] PhoneProof proof, [FromServices] UserManager<ApplicationUser> users,
        [FromServices] SignInManager<ApplicationUser> signIn, [FromServices] IDbContextFactory<ApplicationDbContext> contexts,
        [FromServices] AuditWriter audit, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<PhoneProofBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (PhoneNumbers.Normalize(body.Phone) is not { } phone)
        {
            return InvalidPhone();
        }

        var checkedCode = await codes.CheckAsync(CodePurpose.SignIn, phone, null, body.Code, cancellationToken);
        if (!checkedCode.Accepted)
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, checkedCode.Error!);
        }

        var user = await proof.FindByProvenPhoneAsync(phone, cancellationToken);
        if (user is null)
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, WrongCode);
        }

        user = await users.FindByIdAsync(user.Id);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, AuthEndpoints.LockedOut);
        }

        if (!await users.IsInRoleAsync(user, PortalRoles.Subject) || (await users.GetRolesAsync(user)).Any(r => PortalRoles.StaffRoles.Contains(r)))
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, AuthEndpoints.SubjectsOnly);
        }

        // An account protected by an authenticator app keeps needing it: a text message alone is one factor.
        if (user.TwoFactorEnabled)
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, AuthEndpoints.TwoFactorNotSupported);
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await audit.AppendAsync(db, new AuditActor(user.Id, PortalRoles.Subject), AuditActions.PhoneSignIn, subjectId: user.Id,
                details: new Dictionary<string, string?> { ["channel"] = "Api" }, cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInAsync(user, isPersistent: false);
        return TypedResults.Empty;
    }

    private static async Task<IResult> GetPhoneAsync(
        ClaimsPrincipal caller, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] PhoneNumberProtector phones,
        CancellationToken cancellationToken)
    {
        var userId = caller.FindFirstValue(ClaimTypes.NameIdentifier)!;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.ProtectedPhoneNumber, u.PhoneNumberConfirmed }).SingleAsync(cancellationToken);
        return TypedResults.Ok(new PhoneResponse(phones.Masked(user.ProtectedPhoneNumber), user.PhoneNumberConfirmed));
    }

    private static async Task<IResult> SendProofCodeAsync(
        HttpRequest http, ClaimsPrincipal caller, [FromServices] PhoneProof proof, [FromServices] IOptions<VerificationOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<PhoneCodeBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (PhoneNumbers.Normalize(body.Phone) is null)
        {
            return InvalidPhone();
        }

        var sent = await proof.SendCodeAsync(caller.FindFirstValue(ClaimTypes.NameIdentifier)!, body.Phone, PortalCultures.Current, cancellationToken);
        return Sent(http.HttpContext, sent, options.Value);
    }

    private static async Task<IResult> ProveAsync(
        HttpRequest http, ClaimsPrincipal caller, [FromServices] PhoneProof proof, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<PhoneProofBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (PhoneNumbers.Normalize(body.Phone) is not { } phone)
        {
            return InvalidPhone();
        }

        var result = await proof.ProveAsync(caller.FindFirstValue(ClaimTypes.NameIdentifier)!, phone, body.Code, cancellationToken);
        if (!result.Proven)
        {
            // The code was right but the number is another account's: a conflict, not a bad field.
            return result.Taken
                ? ApiResults.Problem(StatusCodes.Status409Conflict, result.Error!)
                : ApiResults.Invalid("code", result.Error!);
        }

        return TypedResults.Ok(new PhoneResponse(PhoneNumbers.Mask(phone), true));
    }

    private static async Task<IResult> SendRequestCodeAsync(
        Guid id, HttpContext http, ClaimsPrincipal caller, [FromServices] RequestConfirmation confirmation, [FromServices] IOptions<VerificationOptions> options,
        CancellationToken cancellationToken)
    {
        var actor = Requests.RequestActor.From(caller);
        var sent = await confirmation.SendCodeAsync(id, actor, PortalCultures.Current, cancellationToken);
        if (sent is null)
        {
            return await NotWaitingAsync(id, actor, confirmation, http, cancellationToken);
        }

        return sent.Outcome == CodeSendOutcome.Refused
            ? ApiResults.Problem(StatusCodes.Status409Conflict, sent.Error!)
            : Sent(http, sent, options.Value);
    }

    private static async Task<IResult> ConfirmRequestAsync(
        Guid id, HttpRequest http, ClaimsPrincipal caller, [FromServices] RequestConfirmation confirmation, [FromServices] TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<ConfirmRequestBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var authenticator = string.Equals(body.Method, "authenticator", StringComparison.OrdinalIgnoreCase);
        if (body.Method is not null && !authenticator && !string.Equals(body.Method, "sms", StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Invalid("method", "Use \"sms\" or \"authenticator\".");
        }

        var result = await confirmation.ConfirmAsync(id, Requests.RequestActor.From(caller), body.Code, authenticator, cancellationToken);
        if (result.CodeError is { } codeError)
        {
            return ApiResults.Invalid("code", codeError);
        }

        return result.Result!.Error is { } error
            ? ApiResults.Failure(error, StatusCodes.Status409Conflict)
            : TypedResults.Ok(ApiMapping.Request(result.Result.Request!, clock.GetUtcNow()));
    }

    /// <summary>Someone else's request is 404; the caller's own that is not waiting for them is 409.</summary>
    private static async Task<IResult> NotWaitingAsync(Guid id, Requests.RequestActor actor, RequestConfirmation confirmation, HttpContext http, CancellationToken cancellationToken)
    {
        await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync(cancellationToken);
        return await http.RequestServices.GetRequiredService<Requests.RequestAccess>().AllowsAsync(db, id, actor, Requests.RequestAccessRule.Party, cancellationToken)
            ? ApiResults.Problem(StatusCodes.Status409Conflict, "This request is not waiting for you to confirm who you are.")
            : ApiResults.NotFound();
    }

    private static IResult InvalidPhone() => ApiResults.Invalid("phone", "Enter an 11-digit mainland China mobile number, for example 13812345678.");

    internal static IResult Sent(HttpContext http, CodeSent sent, VerificationOptions rules)
    {
        switch (sent.Outcome)
        {
            case CodeSendOutcome.Sent:
                return TypedResults.Json(new CodeSentResponse(rules.CodeLifetimeMinutes * 60, (int)sent.RetryAfter.TotalSeconds), statusCode: StatusCodes.Status202Accepted);
            case CodeSendOutcome.Throttled:
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(sent.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ApiResults.Problem(StatusCodes.Status429TooManyRequests, sent.Error!);
            case CodeSendOutcome.Refused:
                return ApiResults.Invalid("phone", sent.Error!);
            default:
                return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, sent.Error!);
        }
    }
}
