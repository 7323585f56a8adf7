using System.Data.Common;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Features.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DsrPortal.Features.DataSources.ServiceDatabase;

/// <summary>
/// The demo social app's database, generated into the SQL source that <c>DemoData:ServiceDatabase</c>
/// names, with the demo subjects' phone numbers among its users so their data shows up in the portal.
/// </summary>
internal sealed class DemoServiceDatabase(
    IOptions<DataSourcesOptions> sources, IOptions<DemoDataOptions> demo, IHostEnvironment environment, TimeProvider clock, ILogger<DemoServiceDatabase> logger)
{
    public SqlSourceOptions? Source =>
        sources.Value.Sql.FirstOrDefault(s => string.Equals(s.Name, demo.Value.ServiceDatabase, StringComparison.OrdinalIgnoreCase));

    /// <summary>Generates <paramref name="users"/> users (and the demo subjects, once) into the service database.</summary>
    public async Task<long> SeedAsync(int users, CancellationToken cancellationToken = default)
    {
        var source = Source ?? throw new InvalidOperationException(
            $"No DataSources:Sql source is named '{demo.Value.ServiceDatabase}' (DemoData:ServiceDatabase): configure one to generate the demo service database into.");
        await using var connection = await OpenAsync(source, cancellationToken);
        var media = Path.GetFullPath(source.MediaDirectory ?? "service-media", environment.ContentRootPath);
        var subjects = DemoDataSeeder.Accounts
            .Where(a => a.Role == PortalRoles.Subject)
            .Select(a => new ServiceSubject(a.Phone, a.Nickname, a.Gender.ToString(), a.Constellation.ToString()))
            .ToList();
        return await ServiceDatabaseSeeder.SeedAsync(connection, media, users, subjects, clock.GetUtcNow(), cancellationToken: cancellationToken);
    }

    /// <summary>On start with demo data: generates the service database when it has no users table yet.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (!demo.Value.Enabled || Source is not { } source)
        {
            return;
        }

        await using (var connection = await OpenAsync(source, cancellationToken))
        {
            await using var probe = connection.CreateCommand();
            probe.CommandText = "SELECT COUNT(*) FROM users";
            try
            {
                await probe.ExecuteScalarAsync(cancellationToken);
                return;
            }
            catch (DbException)
            {
                // No users table: generate below.
            }
        }

        // The first start's longest step: said before it starts, so the terminal does not look stuck.
        logger.LogInformation("First start: generating the demo social app's database '{Source}' ({Users:N0} users); this takes up to a minute", source.Name, demo.Value.ServiceUsers);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rows = await SeedAsync(demo.Value.ServiceUsers, cancellationToken);
        logger.LogInformation("Demo social app's database ready: {Rows:N0} rows in {Seconds:N0} s", rows, watch.Elapsed.TotalSeconds);
    }

    private async Task<DbConnection> OpenAsync(SqlSourceOptions source, CancellationToken cancellationToken)
    {
        var connection = source.CreateConnection(environment.ContentRootPath);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
