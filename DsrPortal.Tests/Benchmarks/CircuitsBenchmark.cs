using DsrPortal.Tests.Browser;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// What an idle queue costs the server: real Chromium tabs, signed in as an agent, each holding its own circuit on a
/// full first page, measured as the growth of the portal's managed heap (after full collections) per tab. The baseline
/// is the same number of tabs on the home page, whose circuit holds the layout only: the difference is the queue's own.
/// The portal runs in this process, so its heap is this process's heap.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "circuits")]
public sealed class CircuitsBenchmark(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const int Tabs = 20;

    [Fact]
    public async Task Memory_per_idle_queue_circuit()
    {
        var agent = await browser.Portal.ActorAsync("agent@demo.local");
        var subject = await browser.Portal.ActorAsync("subject@demo.local");
        await BenchSeed.RequestsAsync(browser.Portal, subject.UserId, agent.UserId, 2_000);

        // One signed-in context; its first tab warms both pages up (JIT, caches), and its cookie signs in the rest.
        var first = await browser.SignedInPageAsync("agent@demo.local", "");
        await first.GotoAsync("queue");
        await first.WaitForInteractiveAsync();
        await Assertions.Expect(first.Locator("[data-testid=queue-reference]")).ToHaveCountAsync(25);

        var start = await SettledHeapAsync();
        var home = await OpenAsync(first.Context, "");
        var afterHome = await SettledHeapAsync();
        var queue = await OpenAsync(first.Context, "queue");
        foreach (var tab in queue)
        {
            await Assertions.Expect(tab.Locator("[data-testid=queue-reference]")).ToHaveCountAsync(25);
        }

        var afterQueue = await SettledHeapAsync();

        var perHome = (afterHome - start) / (double)Tabs / 1024;
        var perQueue = (afterQueue - afterHome) / (double)Tabs / 1024;
        output.WriteLine($"circuits: heap {start / 1048576.0:F1} MB, +{Tabs} home tabs {afterHome / 1048576.0:F1} MB, +{Tabs} queue tabs {afterQueue / 1048576.0:F1} MB");
        BenchLine.Write(output, "circuits", $"{perQueue:F0} KB per idle queue circuit", $"{perHome:F0} KB per home page circuit",
            perQueue / perHome, "<= 550 KB", perQueue <= 550);

        foreach (var tab in home.Concat(queue))
        {
            await tab.CloseAsync();
        }
    }

    private static async Task<List<IPage>> OpenAsync(IBrowserContext context, string path)
    {
        var tabs = new List<IPage>();
        for (var i = 0; i < Tabs; i++)
        {
            var tab = await context.NewPageAsync();
            await tab.GotoAsync(path);
            await tab.WaitForInteractiveAsync();
            tabs.Add(tab);
        }

        return tabs;
    }

    /// <summary>The managed heap once the tabs have gone quiet and everything collectable is collected.</summary>
    private static async Task<long> SettledHeapAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
