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
            await services.GetRequiredService<ApplicationDbContext>().Database.MigrateAsync();
            await services.GetRequiredService<Features.Audit.AuditWriter>().SignLegacyAsync(services.GetRequiredService<ApplicationDbContext>());
        }

        if (services.GetRequiredService<IOptions<DemoDataOptions>>().Value.Enabled)
        {
            await services.GetRequiredService<DemoDataSeeder>().SeedAsync();
            app.Logger.LogInformation(
                "Demo accounts: {Accounts} (password {Password})",
                string.Join(", ", DemoDataSeeder.Accounts.Select(a => a.Email)), DemoDataOptions.Password);
        }
    }
}
