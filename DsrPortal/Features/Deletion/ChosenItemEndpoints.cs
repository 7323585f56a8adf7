using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.StaticFiles;

namespace DsrPortal.Features.Deletion;

internal static class ChosenItemEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// A photo's preview for the list a person picks from: only their own (or a ward's, for a verified guardian), found
    /// through the source keyed on them, so another person's id answers as nothing at all.
    /// </summary>
    public static IEndpointRouteBuilder MapChosenItemPreviews(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/my-data/items/preview", async (
                string? category, string? id, string? @for, HttpContext context, ChosenItems items, Guardians.GuardianService guardians,
                CancellationToken cancellationToken) =>
            {
                var actor = RequestActor.From(context.User);
                var subjectId = @for is null or "" ? actor.UserId : @for;
                if (category is null || id is null
                    || (subjectId != actor.UserId && !await guardians.MayActForAsync(actor.UserId, subjectId, cancellationToken))
                    || await items.FindAsync(subjectId, category, id, cancellationToken) is not { MediaPath: { } path }
                    || !File.Exists(path))
                {
                    return Results.NotFound();
                }

                context.Response.Headers.CacheControl = "private, no-store";
                return Results.File(path, ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
            })
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Subject))
            .ExcludeFromDescription();
        return endpoints;
    }
}
