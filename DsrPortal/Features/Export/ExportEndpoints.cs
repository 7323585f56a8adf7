using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Export;

internal static class ExportEndpoints
{
    /// <summary>The web download: the signed-in requester's own package, streamed from disk.</summary>
    public static IEndpointRouteBuilder MapPortalExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/requests/{id:guid}/export", async (Guid id, HttpContext context, ExportDownloads downloads, CancellationToken cancellationToken) =>
            {
                var refusal = DownloadRefusal.NotFound;
                var file = await downloads.OpenAsync(id, RequestActor.From(context.User), "Web", r => refusal = r, cancellationToken);
                if (file is { } found)
                {
                    return found.Package.Path is { } path
                        ? Results.File(path, "application/zip", found.FileName, enableRangeProcessing: true)
                        : Results.Stream(found.Package.Open!(), "application/zip", found.FileName);
                }

                // Back to the request page, which says why there is nothing to download.
                return refusal == DownloadRefusal.Expired ? Results.Redirect($"/requests/{id}") : Results.NotFound();
            })
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Subject))
            .ExcludeFromDescription();
        return endpoints;
    }
}
