using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>
/// The production shape: two portal instances on one PostgreSQL behind nginx (the configuration ./cluster.sh uses).
/// An agent's browser pinned to one instance sees, live through the proxy, a change the other instance made; when that
/// instance dies, the proxy sends the browser to the other, still signed in.
/// </summary>
[Collection(SecondBrowserCollection.Name)]
public sealed class ClusterJourneyTests(BrowserFixture fixture, PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly string state = Directory.CreateTempSubdirectory("dsr-nginx-").FullName;
    private PortalFactory first = null!;
    private PortalFactory second = null!;
    private Uri proxy = null!;
    private readonly Dictionary<string, string> addresses = [];

    public async Task InitializeAsync()
    {
        var settings = await cluster.SharedPortalSettingsAsync();
        settings["ReverseProxy:KnownProxies:0"] = "127.0.0.1";
        Dictionary<string, string?> Settings() => new(settings);
        first = new PortalFactory(Settings());
        var a = first.StartOnKestrel();
        second = new PortalFactory(Settings());
        var b = second.StartOnKestrel();
        addresses["first"] = $"127.0.0.1:{a.Port}";
        addresses["second"] = $"127.0.0.1:{b.Port}";

        var port = FreePort();
        var config = Path.Combine(state, "nginx.conf");
        await RunAsync(Path.Combine(RepoPaths.Root, "scripts", "nginx-portal.sh"), [state, port.ToString(System.Globalization.CultureInfo.InvariantCulture), addresses["first"], addresses["second"]], config);
        await RunAsync(Nginx, ["-p", state, "-c", config]);
        proxy = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        await RunAsync(Nginx, ["-p", state, "-c", Path.Combine(state, "nginx.conf"), "-s", "quit"]);
        await second.DisposeAsync();
        await first.DisposeAsync();
        Directory.Delete(state, recursive: true);
    }

    private static string Nginx => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

    [Fact]
    public async Task An_agent_pinned_to_one_instance_sees_live_a_claim_made_on_the_other()
    {
        // The proxy keeps each browser on one instance by its cookie: find a cookie value for the second instance.
        var pin = await PinAsync("second");
        var agent = await first.CreateStaffAsync("cluster.agent@demo.local");
        var page = await fixture.NewPageAsync(baseAddress: proxy);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "dsr_instance", Value = pin, Url = proxy.ToString() }]);
        await page.SignInAsync("cluster.agent@demo.local", PortalForms.DemoPassword);
        var answered = await page.GotoAsync("queue?assignee=Me");
        Assert.Equal(addresses["second"], await answered!.HeaderValueAsync("X-Dsr-Instance"));
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("queue-empty")).ToBeVisibleAsync();

        // The first instance takes a request and claims it for that agent: the queue on the second follows.
        var workflow = first.Services.GetRequiredService<RequestWorkflow>();
        var subject = await first.ActorAsync("subject@demo.local");
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        await Assertions.Expect(page.GetByTestId("queue-reference")).ToHaveTextAsync(request.Reference);

        // The second instance dies: the proxy takes it out, the browser lands on the first, and the sign-in made on the
        // second still holds there (the keys are shared through the database).
        // A fresh tab of the same browser (same cookies): the old one's circuit is busy reconnecting to the dead instance.
        await second.DisposeAsync();
        var context = page.Context;
        await page.CloseAsync();
        page = await context.NewPageAsync();
        var moved = await page.GotoAsync("queue?assignee=Me");
        // nginx names every instance it tried: the dead one first (unless already taken out), the one that answered last.
        Assert.EndsWith(addresses["first"], await moved!.HeaderValueAsync("X-Dsr-Instance"));
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("queue-reference")).ToHaveTextAsync(request.Reference);
        await page.Context.CloseAsync();
    }

    /// <summary>A value of the proxy's cookie that sends a browser to the named instance.</summary>
    private async Task<string> PinAsync(string instance)
    {
        using var client = new HttpClient { BaseAddress = proxy };
        for (var i = 0; i < 64; i++)
        {
            var value = $"pin-{i}";
            using var message = new HttpRequestMessage(HttpMethod.Get, "health/live");
            message.Headers.Add("Cookie", $"dsr_instance={value}");
            using var response = await client.SendAsync(message);
            if (response.Headers.TryGetValues("X-Dsr-Instance", out var served) && served.Single() == addresses[instance])
            {
                return value;
            }
        }

        throw new InvalidOperationException("No cookie value sent the browser to that instance.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, string? output = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await stderr}");
        }

        if (output is not null)
        {
            await File.WriteAllTextAsync(output, await stdout);
        }
    }
}
