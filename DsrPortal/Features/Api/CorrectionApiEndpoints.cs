using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Api;

/// <summary>A correction request's fields for the mobile app, with the decision on each.</summary>
internal static class CorrectionApiEndpoints
{
    public static RouteGroupBuilder MapCorrectionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/requests/{id:guid}/corrections", ListCorrectionsAsync)
            .WithName("ListCorrectionItems")
            .WithSummary("The fields of one of your correction requests, field by field, with the decision on each (Accept-Language: en or zh-CN).")
            .Produces<List<CorrectionItemResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListCorrectionsAsync(
        Guid id, ClaimsPrincipal user, [FromServices] RequestAccess access, [FromServices] IDbContextFactory<ApplicationDbContext> contexts,
        [FromServices] Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> localizer, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await access.AllowsAsync(db, id, RequestActor.From(user), RequestAccessRule.PartyOrStaff, cancellationToken))
        {
            return ApiResults.NotFound();
        }

        var items = await db.CorrectionItems.AsNoTracking().Where(c => c.RequestId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(items.Select(item =>
        {
            var (place, field) = Corrections.CorrectionLabels.Of(item.Field);
            return new CorrectionItemResponse(item.Field, $"{localizer[place]} · {localizer[field]}", item.ValueWhenAsked, item.ProposedValue,
                item.Decision.ToString(), item.Reason, item.DecidedAt);
        }).ToList());
    }
}
