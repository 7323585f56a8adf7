using System.Security.Claims;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notices;
using DsrPortal.Features.Policies;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Mvc;

namespace DsrPortal.Features.Api;

public sealed record NoticeResponse(
    long Id, string Kind, string Title, string Body, DateTimeOffset SentAt, string? Purpose, bool NeedsAnswer,
    DateTimeOffset? ReadAt, string? Answer, DateTimeOffset? AnsweredAt);

public sealed record NoticeAnswerBody(string? Answer);

/// <summary>
/// The notices sent to the caller (a policy change, a new purpose asking consent, a merger, a breach, the end of
/// the service), in the Accept-Language language: the app shows the pending ones and records reading and answers.
/// </summary>
internal static class NoticeEndpoints
{
    public static RouteGroupBuilder MapNoticeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me/notices", ListAsync)
            .WithName("ListMyNotices")
            .WithSummary("Your notices, newest first (at most 100). ?pending=true: only those still waiting for your answer (needsAnswer and no answer yet), which the app should ask before further use.")
            .Produces<List<NoticeResponse>>();

        api.MapPost("/me/notices/{id:long}/read", ReadAsync)
            .WithName("MarkNoticeRead")
            .WithSummary("Tell the portal the person has seen the notice (the first time counts).")
            .Produces<NoticeResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/me/notices/{id:long}/answer", AnswerAsync)
            .WithName("AnswerNotice")
            .WithSummary("Answer a notice that asks for it: {\"answer\": \"Agree\" or \"Decline\"}. Agreeing to a new purpose allows it at once; declining refuses it.")
            .Produces<NoticeResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(bool? pending, ClaimsPrincipal user, [FromServices] NoticeService notices, CancellationToken cancellationToken)
    {
        var mine = await notices.InboxAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        return TypedResults.Ok(mine.Where(n => pending != true || (n.Notice.NeedsAnswer && n.Receipt.Answer is null)).Select(Map).ToList());
    }

    private static async Task<IResult> ReadAsync(long id, ClaimsPrincipal user, [FromServices] NoticeService notices, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        return await notices.MarkReadAsync(userId, id, cancellationToken)
            ? TypedResults.Ok(await FindAsync(notices, userId, id, cancellationToken))
            : ApiResults.NotFound();
    }

    private static async Task<IResult> AnswerAsync(long id, HttpRequest http, ClaimsPrincipal user, [FromServices] NoticeService notices, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<NoticeAnswerBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        NoticeAnswer? answer = body.Answer?.Trim().ToLowerInvariant() switch
        {
            "agree" or "agreed" => NoticeAnswer.Agreed,
            "decline" or "declined" => NoticeAnswer.Declined,
            _ => null,
        };
        if (answer is null)
        {
            return ApiResults.Invalid("answer", "Answer Agree or Decline.");
        }

        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        return await notices.AnswerAsync(userId, id, answer.Value, ConsentChannel.Api, new AuditActor(userId, PortalRoles.Subject), cancellationToken) switch
        {
            AnswerOutcome.NotFound => ApiResults.NotFound(),
            AnswerOutcome.NoAnswerAsked => ApiResults.Problem(StatusCodes.Status409Conflict, "This notice asks for no answer: mark it read instead."),
            _ => TypedResults.Ok(await FindAsync(notices, userId, id, cancellationToken)),
        };
    }

    private static async Task<NoticeResponse> FindAsync(NoticeService notices, string userId, long id, CancellationToken cancellationToken) =>
        Map((await notices.FindAsync(userId, id, cancellationToken))!);

    private static NoticeResponse Map(ReceivedNotice n) =>
        new(n.Notice.Id, n.Notice.Kind.ToString(), n.Notice.Title(PortalCultures.Current), n.Notice.Body(PortalCultures.Current), n.Notice.SentAt,
            n.Notice.PurposeKey, n.Notice.NeedsAnswer, n.Receipt.ReadAt, n.Receipt.Answer?.ToString(), n.Receipt.AnsweredAt);
}
