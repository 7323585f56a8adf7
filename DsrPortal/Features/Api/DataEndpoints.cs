using System.Security.Claims;
using DsrPortal.Features.DataSources;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Mvc;

namespace DsrPortal.Features.Api;

/// <summary>The caller's data inventory: the same figures and reasons as the My data page.</summary>
internal static class DataEndpoints
{
    public static RouteGroupBuilder MapDataEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me/data", GetMyDataAsync)
            .WithName("GetMyData")
            .WithSummary("What is held about you per category, with live counts, purposes, recipients, retention and source (Accept-Language: en or zh-CN).")
            .Produces<MyDataResponse>();
        return api;
    }

    private static async Task<IResult> GetMyDataAsync(ClaimsPrincipal user, [FromServices] PersonalData data, CancellationToken cancellationToken)
    {
        var culture = PortalCultures.Current;
        var holdings = await data.DescribeAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        return TypedResults.Ok(new MyDataResponse(culture, [.. holdings.Select(h => new DataCategoryResponse(
            h.Category.Code, h.Category.Name.In(culture), h.Category.Clause, h.Count, h.Category.Purposes.In(culture),
            h.Category.Recipients.In(culture), h.Category.Retention.In(culture), h.Category.Source.In(culture)))]));
    }
}
