using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Guardians;

internal static class GuardianEndpoints
{
    /// <summary>A pending proof document, for staff checking it; shown inline, never cached, and every opening audited.</summary>
    public static IEndpointRouteBuilder MapPortalGuardians(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/guardians/documents/{id:long}", async (long id, HttpContext context, GuardianService guardians, CancellationToken cancellationToken) =>
                Documents.DocumentResults.Inline(context, await guardians.OpenDocumentAsync(id, RequestActor.From(context.User).ForAudit, cancellationToken)))
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Agent, PortalRoles.Supervisor))
            .ExcludeFromDescription();
        return endpoints;
    }
}
