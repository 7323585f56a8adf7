using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Disputes;

/// <summary>The web downloads of a dispute: its record once closed, and each piece of evidence.</summary>
internal static class DisputeEndpoints
{
    public static IHostApplicationBuilder AddPortalDisputes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DisputeWorkflow>();
        builder.Services.AddSingleton<DisputeEvidence>();
        builder.Services.AddSingleton<DisputeRecord>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPortalDisputes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/requests/{id:guid}/dispute-record", async (Guid id, HttpContext context, DisputeRecord records, CancellationToken cancellationToken) =>
                await records.BuildAsync(id, RequestActor.From(context.User), cancellationToken) is { } record
                    ? Results.File(record.Zip, "application/zip", record.FileName)
                    : Results.NotFound())
            .RequireAuthorization()
            .ExcludeFromDescription();
        endpoints.MapGet("/requests/{id:guid}/evidence/{attachmentId:long}", async (Guid id, long attachmentId, HttpContext context, DisputeEvidence evidence, CancellationToken cancellationToken) =>
            {
                if (await evidence.OpenAsync(id, attachmentId, RequestActor.From(context.User), cancellationToken) is not { } file)
                {
                    return Results.NotFound();
                }

                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["X-Content-Type-Options"] = "nosniff";
                return Results.File(file.Content, file.ContentType, file.FileName);
            })
            .RequireAuthorization()
            .ExcludeFromDescription();
        return endpoints;
    }
}
