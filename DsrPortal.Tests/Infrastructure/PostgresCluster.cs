using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster the tests start and stop themselves: initdb into a temp folder,
/// listen on a free loopback port, trust authentication, gone after the run.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"dsr-pg-{Guid.NewGuid():N}");
    private string bin = "";

    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public async Task InitializeAsync()
    {
        bin = FindBinaries();
        Directory.CreateDirectory(folder);
        if (Environment.UserName == "root")
        {
            // initdb refuses to run as root; the cluster belongs to the postgres system user.
            await RunAsync("chown", ["-R", "postgres:postgres", folder]);
        }

        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        Port = FreePort();
        await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"),
        [
            "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "pg.log"), "-w",
            "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {folder} -c fsync=off", "start",
        ]);
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// Settings for portal instances sharing one new portal database (pooled, as a deployment runs) and one new demo
    /// service database on this server; every instance given them works on the same data.
    /// </summary>
    public async Task<Dictionary<string, string?>> SharedPortalSettingsAsync()
    {
        var database = (await CreateDatabaseAsync($"portal_{Guid.NewGuid():N}")).Replace("Pooling=false", "Pooling=true;Maximum Pool Size=40", StringComparison.Ordinal);
        var service = await CreateDatabaseAsync($"service_{Guid.NewGuid():N}");
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = database,
            ["DataSources:Sql:0:Provider"] = "Postgres",
            ["DataSources:Sql:0:ConnectionString"] = service,
            ["Fulfilment:ExportStorage"] = "Database",
        };
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(Path.Combine(folder, "data")))
        {
            await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "fast", "-w", "stop"]);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql. Run ./test.sh, which installs them.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, string[] arguments) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments])
            : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
