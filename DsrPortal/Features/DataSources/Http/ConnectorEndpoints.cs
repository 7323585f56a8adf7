using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.DataSources.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.DataSources.Http;

internal static class ConnectorEndpoints
{
    private const int MaxBody = 16 * 1024;

    /// <summary>
    /// Where a service reports that a deletion job it accepted is finished: signed with the source's secret and fresh, for
    /// an operation the portal sent to that source and not yet finished. Anything else changes nothing.
    /// </summary>
    public static IEndpointRouteBuilder MapConnectorCallbacks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/connectors/{source}/callback", async (
                string source, HttpContext context, IOptions<DataSourcesOptions> options, IDbContextFactory<ApplicationDbContext> contexts,
                TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken) =>
            {
                var body = await ReadBodyAsync(context.Request, cancellationToken);
                var service = options.Value.Http.FirstOrDefault(s => s.Name == source);
                // An unknown source and a bad signature look alike: a stranger learns nothing of which sources exist.
                if (body is null || service is null || !ConnectorSignature.Verify(service.Secret,
                        context.Request.Headers[ConnectorSignature.TimestampHeader], context.Request.Headers[ConnectorSignature.SignatureHeader], body, clock.GetUtcNow()))
                {
                    return Results.Unauthorized();
                }

                Callback? callback;
                try
                {
                    callback = JsonSerializer.Deserialize<Callback>(body, JsonSerializerOptions.Web);
                }
                catch (JsonException)
                {
                    callback = null;
                }

                if (callback is not { Operation: { Length: > 0 and <= 64 } } || callback.Status is not ("done" or "failed"))
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Send the operation id and a status of done or failed.");
                }

                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var operation = await db.ConnectorOperations.SingleOrDefaultAsync(o => o.Id == callback.Operation && o.Source == service.Name, cancellationToken);
                if (operation is null)
                {
                    return Results.NotFound();
                }

                if (!operation.Finish(callback.Status == "done", callback.Rows, clock.GetUtcNow()))
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "This operation is already finished.");
                }

                await db.SaveChangesAsync(cancellationToken);
                loggers.CreateLogger("DsrPortal.Connectors").LogInformation("Source {Source} finished operation {Operation}: {Status}", service.Name, operation.Id, callback.Status);
                return Results.NoContent();
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBody)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private sealed record Callback(string? Operation, string? Status, long? Rows);
}
