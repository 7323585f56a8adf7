using DsrPortal.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Data;

internal static class DatabaseExtensions
{
    /// <summary>
    /// Registers the provider-specific context behind <see cref="ApplicationDbContext"/>, both as a
    /// factory (interactive components, workers) and scoped (Identity stores, Data Protection).
    /// </summary>
    public static IHostApplicationBuilder AddPortalDatabase(this IHostApplicationBuilder builder)
    {
        var options = builder.AddOptionsValidatedNow(DatabaseOptions.SectionName, new DatabaseOptionsValidator(builder.Configuration));
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                var postgres = builder.Configuration.GetConnectionString("Postgres")!;
                builder.Services.AddDbContextFactory<PostgresApplicationDbContext>(o => o.UseNpgsql(postgres));
                builder.Services.AddSingleton<IDbContextFactory<ApplicationDbContext>,
                    ProviderContextFactory<PostgresApplicationDbContext>>();
                builder.Services.AddSingleton(new PortalConnections(DatabaseProvider.Postgres, postgres));
                break;
            default:
                var sqlite = ResolveSqlitePath(
                    builder.Configuration.GetConnectionString("Sqlite") ?? "Data Source=App_Data/dsrportal.db",
                    builder.Environment.ContentRootPath);
                builder.Services.AddDbContextFactory<SqliteApplicationDbContext>(o => o
                    .UseSqlite(sqlite)
                    .AddInterceptors(new SqlitePragmaInterceptor()));
                builder.Services.AddSingleton<IDbContextFactory<ApplicationDbContext>,
                    ProviderContextFactory<SqliteApplicationDbContext>>();
                builder.Services.AddSingleton(new PortalConnections(DatabaseProvider.Sqlite, sqlite));
                break;
        }

        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContext());
        builder.Services.AddSingleton<GroupCommit>();
        builder.Services.AddSingleton<Hosting.ClusterSignals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Hosting.ClusterSignals>());
        return builder;
    }

    /// <summary>
    /// A relative SQLite file is placed under the content root, not the working directory, and its
    /// folder is created, so the portal starts the same way wherever it is launched from.
    /// </summary>
    internal static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } path && path != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(contentRoot, path));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            csb.DataSource = full;
        }

        return csb.ToString();
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner)
        : IDbContextFactory<ApplicationDbContext>
        where TContext : ApplicationDbContext
    {
        public ApplicationDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
