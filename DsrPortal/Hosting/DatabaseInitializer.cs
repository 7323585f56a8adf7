using DsrPortal.Data;
using DsrPortal.Features.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Hosting;

internal static class DatabaseInitializer
{
    /// <summary>
    /// In Development the database is migrated and the demo seeded on start, so one command runs the
    /// portal; in production both are explicit (the migrate verb), see docs/decisions/0004.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            var db = services.GetRequiredService<ApplicationDbContext>();
            if ((await db.Database.GetPendingMigrationsAsync()).Count() is > 0 and var pending)
            {
                app.Logger.LogInformation("Preparing the database: applying {Count} migration(s)", pending);
            }

            await db.Database.MigrateAsync();
            await services.GetRequiredService<Features.Audit.AuditWriter>().SignLegacyAsync(services.GetRequiredService<ApplicationDbContext>());
        }

        if (services.GetRequiredService<IOptions<DemoDataOptions>>().Value.Enabled)
        {
            await services.GetRequiredService<DemoDataSeeder>().SeedAsync();
            app.Logger.LogInformation(
                "Demo accounts: {Accounts} (password {Password})",
                string.Join(", ", DemoDataSeeder.Accounts.Select(a => a.Email)), DemoDataOptions.Password);
        }

        // Said last, once the portal answers: where to open it.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation("DsrPortal is ready: open {Addresses} in a browser", string.Join(" or ", addresses));
        });
    }
}
