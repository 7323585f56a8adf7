using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace DsrPortal.Tests.Hosting;

/// <summary>The first start on a fresh machine says what it is doing while it prepares, and where to open the portal once it answers.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task The_first_start_says_what_it_is_doing_and_where_to_open_the_portal()
    {
        var log = new CapturedLog(LogLevel.Information, categoryPrefix: "DsrPortal");
        await using var factory = new PortalFactory(
            new Dictionary<string, string?> { ["Logging:LogLevel:DsrPortal"] = "Information" },
            configureServices: services => services.AddSingleton<ILoggerProvider>(log));
        var address = factory.StartOnKestrel();

        var lines = log.Messages.ToList();
        var migrating = lines.FindIndex(l => l.StartsWith("Preparing the database: applying ", StringComparison.Ordinal));
        var generating = lines.FindIndex(l => l.StartsWith("First start: generating the demo social app's database", StringComparison.Ordinal));
        var generated = lines.FindIndex(l => l.StartsWith("Demo social app's database ready: ", StringComparison.Ordinal));
        Assert.True(migrating >= 0 && generating > migrating && generated > generating, "Said while starting: " + string.Join(" / ", lines));
        await Eventually.TrueAsync(() => log.Messages.Any(l => l.StartsWith($"DsrPortal is ready: open {address.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal)),
            "the address to open, once the portal answers");
    }
}
