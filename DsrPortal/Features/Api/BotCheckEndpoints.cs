using DsrPortal.Features.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace DsrPortal.Features.Api;

/// <summary>
/// The bot check for the app: what anyone can call without an account (a sign-in code, a code to start a
/// request without an account) needs the answer to a fresh challenge in the headers X-Bot-Challenge and
/// X-Bot-Answer. Sign-in with a password never does: rate limits and lockout guard it.
/// </summary>
internal static class BotCheckEndpoints
{
    public const string ChallengeHeader = "X-Bot-Challenge";
    public const string AnswerHeader = "X-Bot-Answer";
    public const string Refused = "Answer a fresh bot-check challenge: GET /api/v1/challenge, then send X-Bot-Challenge and X-Bot-Answer with this call.";

    public static RouteGroupBuilder MapBotCheckEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapGet("/challenge", (BotCheck bot) => TypedResults.Ok(ToResponse(bot.Issue())))
            .WithName("GetBotChallenge")
            .WithSummary("A proof-of-work challenge for the calls anyone can make without an account.")
            .WithDescription("Find the smallest (or any) non-negative integer n, written in decimal, for which SHA-256 of the UTF-8 text \"<challenge>:<n>\" "
                + "starts with at least `difficulty` zero bits. Send the challenge in X-Bot-Challenge and n in X-Bot-Answer. A challenge is used once and expires after `expiresIn` seconds.")
            .Produces<BotChallengeResponse>();
        return auth;
    }

    /// <summary>Refuses a call whose headers do not answer a fresh challenge (only when the bot check is on).</summary>
    public static TBuilder RequireBotCheck<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var bot = http.RequestServices.GetRequiredService<BotCheck>();
            var (verdict, _) = bot.Verify(http.Request.Headers[ChallengeHeader].ToString(), http.Request.Headers[AnswerHeader].ToString(), allowFallback: false);
            return verdict == BotVerdict.Passed ? await next(context) : ApiResults.Problem(StatusCodes.Status403Forbidden, Refused);
        });

    private static BotChallengeResponse ToResponse(BotChallenge challenge) =>
        new(challenge.Challenge, challenge.Difficulty, "sha256-leading-zero-bits", challenge.ExpiresIn);
}

public sealed record BotChallengeResponse(string Challenge, int Difficulty, string Algorithm, int ExpiresIn);
