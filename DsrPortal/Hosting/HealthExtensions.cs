using DsrPortal.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DsrPortal.Hosting;

internal static class HealthExtensions
{
    /// <summary>Checks that /health/ready runs; features add their own with this tag.</summary>
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddPortalHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapPortalHealthChecks(this WebApplication app)
    {
        // Live: the process answers. Ready: the database answers and its schema is current (Degraded, still 200,
        // when a holiday calendar runs out).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }

    private sealed class DatabaseReadyCheck(IDbContextFactory<ApplicationDbContext> contexts) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                if (!await db.Database.CanConnectAsync(cancellationToken))
                {
                    return HealthCheckResult.Unhealthy("The database cannot be reached.");
                }

                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
                return pending == 0
                    ? HealthCheckResult.Healthy("The database is reachable and up to date.")
                    : HealthCheckResult.Unhealthy($"{pending} migration(s) pending: run the migrate verb.");
            }
            catch (Exception exception)
            {
                return HealthCheckResult.Unhealthy("The database check failed.", exception);
            }
        }
    }
}
