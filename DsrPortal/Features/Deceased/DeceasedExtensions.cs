using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Deceased;

internal static class DeceasedExtensions
{
    public static IHostApplicationBuilder AddPortalDeceased(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeceasedService>();
        return builder;
    }

    /// <summary>A pending document of a relative's claim, for staff checking it; shown inline, never cached, every opening audited.</summary>
    public static IEndpointRouteBuilder MapPortalDeceased(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/deceased/documents/{id:long}", async (long id, HttpContext context, DeceasedService deceased, CancellationToken cancellationToken) =>
                Documents.DocumentResults.Inline(context, await deceased.OpenDocumentAsync(id, RequestActor.From(context.User).ForAudit, cancellationToken)))
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Agent, PortalRoles.Supervisor))
            .ExcludeFromDescription();
        return endpoints;
    }
}
