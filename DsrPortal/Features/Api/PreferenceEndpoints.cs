using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Policies;
using DsrPortal.Features.Preferences;
using DsrPortal.Features.Webhooks;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Api;

public sealed record PreferenceResponse(
    string Purpose, string Name, string Description, string Basis, string? Recipient, string Decision, bool NeedsAnswer, string? Channel, DateTimeOffset? RecordedAt);

public sealed record PreferenceBody(string? Decision);

/// <summary>
/// One event of the feed. <c>Event</c> is one of the webhook events (preference.changed, policy.withdrawn,
/// policy.agreed, guardian-consent.withdrawn); <c>Data</c> holds its codes as the webhook carries them, and the
/// purpose, decision and channel are repeated on their own where the event has them.
/// </summary>
public sealed record PreferenceChangeResponse(
    long Cursor, string Event, string PortalUserId, string? Phone, string? Email, string? Purpose, string? Decision, string? Channel,
    DateTimeOffset RecordedAt, IReadOnlyDictionary<string, string> Data);

public sealed record PreferenceChangesResponse(IReadOnlyList<PreferenceChangeResponse> Changes, long Next);

/// <summary>
/// The caller's choices about the uses of their data they can refuse (the app reads and changes them), and the
/// change feed the company's back-end services read with a service key.
/// </summary>
internal static class PreferenceEndpoints
{
    public const string ServiceKeyHeader = "X-Service-Key";

    public static RouteGroupBuilder MapPreferenceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me/preferences", async (ClaimsPrincipal user, [FromServices] ProcessingChoices choices, CancellationToken cancellationToken) =>
                TypedResults.Ok((await choices.CurrentAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken)).Select(Map).ToList()))
            .WithName("GetMyPreferences")
            .WithSummary("Each use of your data (its name and description in the Accept-Language language), whether it applies to you (Allowed) or not (Refused), and when you chose. Basis Refusable: described in the policy, in force until you refuse it. Basis ExpressConsent (a new purpose, or sharing with the named recipient): in force only once you allow it; needsAnswer while you never answered.")
            .Produces<List<PreferenceResponse>>();

        api.MapPut("/me/preferences/{purpose}", SetAsync)
            .WithName("SetMyPreference")
            .WithSummary("Refuse or allow one use of your data, by its purpose code: {\"decision\": \"Refused\" or \"Allowed\"}. It takes effect at once and the company's systems are told.")
            .Produces<PreferenceResponse>()
            .ProducesValidationProblem();
        return api;
    }

    public static IEndpointRouteBuilder MapPreferenceFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiExtensions.Prefix + "/preferences/changes", ChangesAsync)
            .WithTags("Back-end services")
            .AllowAnonymous()
            .WithName("ListPreferenceChanges")
            .WithSummary("For the company's back-end services, with the X-Service-Key header: every event after ?after= (a cursor, 0 at first), oldest first, at most ?limit= (1-500, default 100): choices about uses of data, policy agreements withdrawn or given again, guardians' consent withdrawn. Keep the returned next and ask again with it.")
            .Produces<PreferenceChangesResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<IResult> SetAsync(
        string purpose, HttpRequest http, ClaimsPrincipal user, [FromServices] ProcessingChoices choices, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (body, problem) = await ApiResults.ReadJsonAsync<PreferenceBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var decision = ApiMapping.ParseEnum<ProcessingDecision>(body.Decision, "decision", "decision", errors, required: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var chosen = await choices.SetAsync(userId, purpose, decision!.Value, ConsentChannel.Api, new AuditActor(userId, PortalRoles.Subject), cancellationToken);
        return chosen is null
            ? ApiResults.Invalid("purpose", "No use of data in force has this code: GET /api/v1/me/preferences lists them.")
            : TypedResults.Ok(Map(chosen));
    }

    private static async Task<IResult> ChangesAsync(
        long? after, int? limit, HttpRequest http, [FromServices] ChangeFeed feed, [FromServices] PersonalData data,
        [FromServices] IOptionsMonitor<ApiOptions> options, CancellationToken cancellationToken)
    {
        if (!IsServiceKey(http.Headers[ServiceKeyHeader].ToString(), options.CurrentValue.ServiceKeys))
        {
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, $"Send a service key configured under Api:ServiceKeys in the {ServiceKeyHeader} header.");
        }

        if (after is < 0 || limit is < 1 or > 500)
        {
            return ApiResults.Invalid(after is < 0 ? "after" : "limit", after is < 0 ? "Give a cursor of 0 or more." : "Give a limit from 1 to 500.");
        }

        var changes = await feed.AfterAsync(after ?? 0, limit ?? 100, cancellationToken);
        var rows = new List<PreferenceChangeResponse>(changes.Count);
        foreach (var change in changes)
        {
            // The person's proven identifiers, read now: none once the account is anonymised.
            var keys = await data.KeysAsync(change.SubjectId, cancellationToken);
            rows.Add(new(change.Cursor, change.Event, change.SubjectId, keys?.Phone, keys?.Email, change.Data.GetValueOrDefault("purpose"),
                change.Data.GetValueOrDefault("decision"), change.Data.GetValueOrDefault("channel"), change.OccurredAt, change.Data));
        }

        return TypedResults.Ok(new PreferenceChangesResponse(rows, changes.Count > 0 ? changes[^1].Cursor : after ?? 0));
    }

    /// <summary>The key against every configured one, each compared in constant time.</summary>
    private static bool IsServiceKey(string given, IReadOnlyDictionary<string, string> keys)
    {
        if (given.Length == 0)
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var match = false;
        foreach (var key in keys.Values.Where(k => k.Length >= 32))
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return match;
    }

    private static PreferenceResponse Map(CurrentChoice c) =>
        new(c.Purpose.Key, c.Purpose.Name(PortalCultures.Current), c.Purpose.Description(PortalCultures.Current), c.Purpose.Basis.ToString(), c.Purpose.Recipient,
            c.Decision.ToString(), c.NeedsAnswer, c.Channel?.ToString(), c.RecordedAt);
}
