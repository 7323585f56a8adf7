using DsrPortal.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// The real portal (Program.cs as written) on a real database: by default a SQLite file in a folder of
/// its own, with migrations and demo data applied at start, and mail written to a pickup folder.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    private readonly Action<IServiceCollection>? configureServices;

    /// <param name="configureServices">Replaces services after the portal registered its own (a source that fails on cue).</param>
    public PortalFactory(IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? clock = null, Action<IServiceCollection>? configureServices = null)
    {
        Clock = clock;
        this.configureServices = configureServices;
        Folder = Directory.CreateTempSubdirectory("dsr-portal-").FullName;
        settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(Folder, "portal.db")}",
            ["Database:MigrateOnStartup"] = "true",
            ["DemoData:Enabled"] = "true",
            ["DemoData:SampleRequests"] = "false",
            ["DataSources:Sql:0:ConnectionString"] = $"Data Source={ServiceDatabasePath}",
            ["DataSources:Sql:0:MediaDirectory"] = MediaFolder,
            ["DemoData:ServiceUsers"] = "20",
            // Tests run the fulfilment runner themselves, at the moment they choose.
            ["Fulfilment:WorkerEnabled"] = "false",
            ["Verification:WorkerEnabled"] = "false",
            ["Reminders:WorkerEnabled"] = "false",
            // Every test client comes from one address; the limit itself is tested with a low figure.
            ["RateLimits:FormPostsPerMinute"] = "10000",
            ["RateLimits:SignInsPerAccountPerMinute"] = "10000",
            // The bot check is tested on its own (BotCheckTests) and by the browser journeys, which solve it.
            ["BotCheck:Enabled"] = "false",
            ["Fulfilment:ExportDirectory"] = Path.Combine(Folder, "exports"),
            ["Email:DeliveryMode"] = "Pickup",
            ["Email:PickupDirectory"] = PickupFolder,
            ["Sms:DeliveryMode"] = "Pickup",
            ["Sms:PickupDirectory"] = SmsFolder,
            ["Audit:SigningKeyPath"] = Path.Combine(Folder, "audit-signing.key"),
            ["Audit:CheckpointDirectory"] = CheckpointFolder,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    /// <summary>When set (a FakeTimeProvider), the portal's clock: deadlines and timelines follow it.</summary>
    public TimeProvider? Clock { get; }

    /// <summary>A folder that lives as long as the factory: database file, mail pickup.</summary>
    public string Folder { get; }

    public string PickupFolder => Path.Combine(Folder, "mail");

    /// <summary>Text messages (one-time codes) land here as JSON files.</summary>
    public string SmsFolder => Path.Combine(Folder, "sms");

    /// <summary>Signed audit checkpoints: what an operator keeps on other storage.</summary>
    public string CheckpointFolder => Path.Combine(Folder, "audit-checkpoints");

    /// <summary>The demo social app's database (SQLite), generated at start with demo data on.</summary>
    public string ServiceDatabasePath => Path.Combine(Folder, "service.db");

    public string MediaFolder => Path.Combine(Folder, "media");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.AddSingleton(Clock);
            }

            configureServices?.Invoke(services);
        });
    }

    /// <summary>Starts the portal on a real Kestrel port for the browser and returns its address.</summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }

    public HttpClient CreateBrowserLikeClient(string? acceptLanguage = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (acceptLanguage is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        return client;
    }

    public ApplicationDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContext();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner; it holds only test data.
        }
    }
}
