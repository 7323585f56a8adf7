using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Policies;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Api;

public sealed record PolicyResponse(string Version, DateTimeOffset EffectiveFrom, string? Summary, string? Text, string? Decision, DateTimeOffset? DecidedAt, bool MustAgree);

public sealed record PolicyAgreementBody(string? Version);

/// <summary>
/// The privacy policy in the app (clause 5): the version in force in the caller's language, whether they have
/// agreed to it, and agreeing or withdrawing, recorded with the Api channel exactly as on the web.
/// </summary>
internal static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me/policy", GetAsync)
            .WithName("GetMyPolicy")
            .WithSummary("The policy version in force (its summary of changes and text in the Accept-Language language), your latest decision on it, and mustAgree when the app should ask you before further use.")
            .Produces<PolicyResponse>();

        api.MapPost("/me/policy/agree", AgreeAsync)
            .WithName("AgreeToPolicy")
            .WithSummary("Agree to the version in force: send {\"version\"} as shown to the person; 409 when another version is in force by now.")
            .Produces<PolicyResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/me/policy/withdraw", WithdrawAsync)
            .WithName("WithdrawPolicyAgreement")
            .WithSummary("Withdraw your agreement; your requests and rights are unaffected, and the company's systems are told.")
            .Produces<PolicyResponse>();
        return api;
    }

    private static async Task<IResult> GetAsync(ClaimsPrincipal user, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] PolicyService policies, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await DescribeAsync(db, policies, user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken));
    }

    private static async Task<IResult> AgreeAsync(
        HttpRequest http, ClaimsPrincipal user, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] PolicyService policies, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<PolicyAgreementBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body.Version))
        {
            return ApiResults.Invalid("version", "Give the version you showed the person, as GET /api/v1/me/policy returned it.");
        }

        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var current = await policies.GetCurrentAsync(db, cancellationToken);
        if (current.Version != body.Version.Trim())
        {
            // An agreement counts for the text the person saw, never for one they did not.
            return ApiResults.Problem(StatusCodes.Status409Conflict, $"Version {current.Version} is in force now: show it to the person and send that version.");
        }

        if (await policies.PendingAgreementAsync(db, userId, cancellationToken) is not null)
        {
            await policies.AgreeAsync(db, userId, PortalRoles.Subject, ConsentChannel.Api, cancellationToken);
        }

        return TypedResults.Ok(await DescribeAsync(db, policies, userId, cancellationToken));
    }

    private static async Task<IResult> WithdrawAsync(ClaimsPrincipal user, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] PolicyService policies, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Withdrawing what is not in force records nothing.
        if (await policies.PendingAgreementAsync(db, userId, cancellationToken) is null)
        {
            await policies.WithdrawAsync(db, userId, PortalRoles.Subject, ConsentChannel.Api, cancellationToken);
        }

        return TypedResults.Ok(await DescribeAsync(db, policies, userId, cancellationToken));
    }

    private static async Task<PolicyResponse> DescribeAsync(ApplicationDbContext db, PolicyService policies, string userId, CancellationToken cancellationToken)
    {
        var current = await policies.GetCurrentAsync(db, cancellationToken);
        var latest = (await db.ConsentRecords.AsNoTracking().Where(c => c.UserId == userId && c.PolicyVersionId == current.Id).ToListAsync(cancellationToken))
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Id).FirstOrDefault();
        var culture = PortalCultures.Current;
        return new PolicyResponse(current.Version, current.EffectiveFrom, PolicyService.Summary(current, culture),
            await policies.ReadTextAsync(current, culture, cancellationToken), latest?.Decision.ToString(), latest?.RecordedAt,
            await policies.PendingAgreementAsync(db, userId, cancellationToken) is not null);
    }
}
