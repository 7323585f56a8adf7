using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Guardians;

internal static class GuardianEndpoints
{
    /// <summary>A pending proof document, for staff checking it; shown inline, never cached, and every opening audited.</summary>
    public static IEndpointRouteBuilder MapPortalGuardians(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/guardians/documents/{id:long}", async (long id, HttpContext context, GuardianService guardians, CancellationToken cancellationToken) =>
            {
                var document = await guardians.OpenDocumentAsync(id, RequestActor.From(context.User).ForAudit, cancellationToken);
                if (document is not { } found)
                {
                    return Results.NotFound();
                }

                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["X-Content-Type-Options"] = "nosniff";
                return Results.File(found.Content, found.ContentType);
            })
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Agent, PortalRoles.Supervisor))
            .ExcludeFromDescription();
        return endpoints;
    }
}
