using System.Security.Claims;
using DsrPortal.Features.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace DsrPortal.Features.Api;

/// <summary>The app's side of server-side sessions: sign out (the token is refused from then on), and see or end the account's sessions.</summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/logout", LogoutAsync)
            .WithName("Logout")
            .WithSummary("Sign the app out: this token (and its refresh token) is refused from now on.")
            .Produces(StatusCodes.Status204NoContent);
        api.MapGet("/me/sessions", ListAsync)
            .WithName("ListSessions")
            .WithSummary("The account's open sessions: browsers and app sign-ins, the current one marked.")
            .Produces<IReadOnlyList<SessionResponse>>();
        api.MapDelete("/me/sessions/{id:guid}", EndAsync)
            .WithName("EndSession")
            .WithSummary("End one of the account's sessions: its cookie or token is refused at its next use.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> LogoutAsync(ClaimsPrincipal user, [FromServices] UserSessions sessions, CancellationToken cancellationToken)
    {
        if (UserSession.IdOf(user) is { } id)
        {
            await sessions.EndAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, id, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, [FromServices] UserSessions sessions, CancellationToken cancellationToken)
    {
        var current = UserSession.IdOf(user);
        var open = await sessions.OpenAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        return TypedResults.Ok(open.Select(s => new SessionResponse(s.Id, s.Kind.ToString(), s.Client, s.CreatedAt, s.LastSeenAt, s.Id == current)).ToList());
    }

    private static async Task<IResult> EndAsync(Guid id, ClaimsPrincipal user, [FromServices] UserSessions sessions, CancellationToken cancellationToken) =>
        await sessions.EndAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, id, cancellationToken) ? TypedResults.NoContent() : ApiResults.NotFound();
}

public sealed record SessionResponse(Guid Id, string Kind, string? Client, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool Current);
