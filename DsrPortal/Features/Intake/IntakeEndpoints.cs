using DsrPortal.Data;
using DsrPortal.Features.Api;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Verification;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Intake;

/// <summary>
/// Requests without an account: the signed link that opens a guest's request in the browser, and for
/// the mobile app the two calls that prove an email address or number and return a bearer token for it
/// (then the usual <c>/api/v1/requests</c> endpoints submit and follow).
/// </summary>
internal static class IntakeEndpoints
{
    public const string ChooseOne = "Give either an email address or a mobile number.";
    public const string InvalidContact = "Enter an email address, or an 11-digit mainland China mobile number such as 13812345678.";

    public static WebApplication MapPortalIntake(this WebApplication app)
    {
        app.MapGet("/follow/{token}", FollowAsync).AllowAnonymous().ExcludeFromDescription();

        var intake = app.MapGroup(ApiExtensions.Prefix + "/intake")
            .WithTags("Requests without an account")
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(ApiExtensions.LoginRateLimitPolicy);
        intake.MapPost("/code", SendCodeAsync)
            .RequireBotCheck()
            .WithName("SendIntakeCode")
            .WithSummary("Start a request without an account: send a code to an email address or a mobile number.")
            .WithDescription("Send {\"email\"} or {\"phone\"}. Codes have 6 digits, live 10 minutes and allow 5 tries; one address gets at most one code a minute "
                + "and five an hour (429 with Retry-After).")
            .Accepts<IntakeCodeBody>("application/json")
            .ProducesCodeSent();
        intake.MapPost("/token", ProveAsync)
            .WithName("ProveIntakeContact")
            .WithSummary("Prove the address or number with its code: returns a bearer token like /auth/login, for /requests and /me/data.")
            .WithDescription("Data is matched on the proven address or number only. A request submitted within 10 minutes counts as confirmed by this code, "
                + "exports and deletions included. An address or number a registered account holds answers 409: sign in to that account instead.")
            .Accepts<IntakeProofBody>("application/json")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Opens the guest's request from the signed link; a forged, expired or spent link goes to the intake page instead.</summary>
    private static async Task<IResult> FollowAsync(
        string token, HttpContext http, [FromServices] GuestLinks links, [FromServices] SignInManager<ApplicationUser> signIn,
        [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] AuditWriter audit, CancellationToken cancellationToken)
    {
        if (await links.OpenAsync(token, cancellationToken) is not { } opened)
        {
            return TypedResults.LocalRedirect("~/make-a-request?expired=true");
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await audit.AppendAsync(db, new AuditActor(opened.User.Id, Accounts.PortalRoles.Subject), AuditActions.GuestLinkUsed, opened.RequestId, opened.User.Id,
                cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await signIn.SignInAsync(opened.User, isPersistent: false);
        // The token leaves the address bar at once, so it is not kept in history or sent on as a referrer.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.LocalRedirect(opened.RequestId is { } id ? $"~/requests/{id}" : "~/requests");
    }

    private static async Task<IResult> SendCodeAsync(
        HttpRequest http, [FromServices] GuestAccounts guests, [FromServices] IOptions<VerificationOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<IntakeCodeBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (Parse(body.Email, body.Phone, out var contact) is { } invalid)
        {
            return invalid;
        }

        return PhoneEndpoints.Sent(http.HttpContext, await guests.SendCodeAsync(contact, PortalCultures.Current, cancellationToken), options.Value);
    }

    private static async Task<IResult> ProveAsync(
        HttpRequest http, [FromServices] GuestAccounts guests, [FromServices] SignInManager<ApplicationUser> signIn, [FromServices] TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<IntakeProofBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (Parse(body.Email, body.Phone, out var contact) is { } invalid)
        {
            return invalid;
        }

        var proof = await guests.ProveAsync(contact, body.Code, PortalCultures.Current, cancellationToken);
        switch (proof.Outcome)
        {
            case GuestProofOutcome.WrongCode:
                return ApiResults.Invalid("code", proof.Error!);
            case GuestProofOutcome.HasAccount:
                return ApiResults.Problem(StatusCodes.Status409Conflict, proof.Error!);
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInWithClaimsAsync(proof.User!, isPersistent: false, ProofClaims.For(contact, clock.GetUtcNow()));
        return TypedResults.Empty;
    }

    private static IResult? Parse(string? email, string? phone, out Contact contact)
    {
        contact = null!;
        if (string.IsNullOrWhiteSpace(email) == string.IsNullOrWhiteSpace(phone))
        {
            return ApiResults.Invalid("email", ChooseOne);
        }

        var field = string.IsNullOrWhiteSpace(email) ? "phone" : "email";
        var parsed = Contact.Parse(email ?? phone);
        if (parsed is null || (field == "email") != parsed.IsEmail)
        {
            return ApiResults.Invalid(field, InvalidContact);
        }

        contact = parsed;
        return null;
    }
}

public sealed record IntakeCodeBody(string? Email, string? Phone);

public sealed record IntakeProofBody(string? Email, string? Phone, string? Code);
