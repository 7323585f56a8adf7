using System.Security.Claims;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Export;
using DsrPortal.Features.Requests;
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
            .WithSummary("What is held about you (or, with ?for=, a minor you are the verified guardian of) per category, with live counts, purposes, recipients, retention and source (Accept-Language: en or zh-CN).")
            .Produces<MyDataResponse>();

        api.MapGet("/guardians/wards", async (ClaimsPrincipal user, [FromServices] Guardians.GuardianService guardians, CancellationToken cancellationToken) =>
                TypedResults.Ok((await guardians.WardsAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken))
                    .Select(w => new WardResponse(w.MinorId, w.Nickname, w.ConsentInForce)).ToList()))
            .WithName("ListWards")
            .WithSummary("The minors you may act for as their verified guardian; use their id as ?for= and as subjectId.");

        api.MapGet("/me/correctable-fields", GetCorrectableFieldsAsync)
            .WithName("GetCorrectableFields")
            .WithSummary("The fields a correction request can change, with your current values: send their keys in details.corrections.")
            .Produces<List<CorrectableFieldResponse>>();

        api.MapGet("/requests/{id:guid}/export", DownloadExportAsync)
            .WithName("DownloadExport")
            .WithSummary("The ZIP package of one of your completed export requests, while its download period lasts.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);
        return api;
    }

    private static async Task<IResult> DownloadExportAsync(
        Guid id, ClaimsPrincipal user, [FromServices] ExportDownloads downloads, CancellationToken cancellationToken)
    {
        var refusal = DownloadRefusal.NotFound;
        var file = await downloads.OpenAsync(id, RequestActor.From(user), "Api", r => refusal = r, cancellationToken);
        if (file is { } found)
        {
            return found.Package.Path is { } path
                ? TypedResults.PhysicalFile(path, "application/zip", found.FileName, enableRangeProcessing: true)
                : TypedResults.Stream(found.Package.Open!(), "application/zip", found.FileName);
        }

        if (refusal == DownloadRefusal.Expired)
        {
            return ApiResults.Problem(StatusCodes.Status410Gone, "The download period of this export has ended and the package was deleted. Make a new export request.");
        }

        // The caller's export request whose package is not ready yet, or someone else's (404).
        var status = await downloads.StatusAsync(id, cancellationToken);
        return status is not null && await downloads.IsCallersAsync(id, RequestActor.From(user), cancellationToken)
            ? ApiResults.Problem(StatusCodes.Status409Conflict, "The export is not ready yet; the request's status says when it is.")
            : ApiResults.NotFound();
    }

    private static async Task<IResult> GetCorrectableFieldsAsync(
        ClaimsPrincipal user, [FromServices] PersonalData data, [FromServices] Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> localizer, CancellationToken cancellationToken)
    {
        var keys = await data.KeysAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        var fields = new List<CorrectableFieldResponse>();
        foreach (var field in data.CorrectableFields)
        {
            var (place, name) = Corrections.CorrectionLabels.Of(field.Key);
            var current = keys is null ? null : await data.SourceOfField(field.Key).ReadFieldAsync(keys, field.Key, cancellationToken);
            fields.Add(new CorrectableFieldResponse(field.Key, $"{localizer[place]} · {localizer[name]}", current));
        }

        return TypedResults.Ok(fields);
    }

    private static async Task<IResult> GetMyDataAsync(
        [FromQuery(Name = "for")] string? forMinor, ClaimsPrincipal user, [FromServices] PersonalData data, [FromServices] Guardians.GuardianService guardians,
        [FromServices] Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> localizer, CancellationToken cancellationToken)
    {
        var caller = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (forMinor is not null && !await guardians.MayActForAsync(caller, forMinor, cancellationToken))
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, "You are not the verified guardian of that account.");
        }

        var culture = PortalCultures.Current;
        var subject = forMinor ?? caller;
        var holdings = await data.DescribeAsync(subject, cancellationToken);
        var proven = await data.PhoneProvenAsync(subject, cancellationToken);
        return TypedResults.Ok(new MyDataResponse(culture, [.. holdings.Select(h => new DataCategoryResponse(
            h.Category.Code, h.Category.Name.In(culture), h.Category.Clause, h.Count, h.Category.Purposes.In(culture),
            h.Category.Recipients.In(culture), h.Category.Retention.In(culture), h.Category.Source.In(culture)))],
            proven, proven ? null : MyDataNotices.For(localizer, await data.IsGuestAsync(subject, cancellationToken))));
    }
}
