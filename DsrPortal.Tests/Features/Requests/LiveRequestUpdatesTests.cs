using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>An open page follows changes live, but a burst of changes costs it one reload now and one at the end of the second.</summary>
public sealed class LiveRequestUpdatesTests
{
    private readonly RequestChangeNotifier notifier = new(NullLogger<RequestChangeNotifier>.Instance);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly Guid shown = Guid.NewGuid();
    private int reloads;

    private LiveRequestUpdates Page() =>
        new(notifier, clock, change => change.RequestId == shown, () => { Interlocked.Increment(ref reloads); return Task.CompletedTask; });

    [Fact]
    public async Task A_burst_of_changes_reloads_once_at_once_and_once_when_the_second_is_over()
    {
        using var page = Page();
        page.Start();

        notifier.Publish(shown);
        await Eventually.TrueAsync(() => reloads == 1, "the first change to reload the page at once");
        for (var i = 0; i < 20; i++)
        {
            notifier.Publish(shown);
        }

        await Task.Delay(200);
        Assert.Equal(1, reloads);

        clock.Advance(LiveRequestUpdates.Window);
        await Eventually.TrueAsync(() => reloads == 2, "one trailing reload for the rest of the burst");
        await Task.Delay(200);
        Assert.Equal(2, reloads);
    }

    [Fact]
    public async Task A_page_hears_nothing_before_it_is_interactive_nor_about_other_requests_nor_after_it_closed()
    {
        var page = Page();
        notifier.Publish(shown);
        page.Start();
        notifier.Publish(Guid.NewGuid());
        await Task.Delay(200);
        Assert.Equal(0, reloads);

        page.Dispose();
        notifier.Publish(shown);
        await Task.Delay(200);
        Assert.Equal(0, reloads);
    }

    [Fact]
    public async Task A_page_reloads_in_its_own_culture_whoever_made_the_change()
    {
        var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo? seen = null, seenUi = null;
        LiveRequestUpdates page;
        try
        {
            // The English agent's page subscribes in its own culture...
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("en-US");
            page = new LiveRequestUpdates(notifier, clock, change => change.RequestId == shown, () =>
            {
                seen = System.Globalization.CultureInfo.CurrentCulture;
                seenUi = System.Globalization.CultureInfo.CurrentUICulture;
                return Task.CompletedTask;
            });
            page.Start();
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before;
        }

        // ...and a Chinese subject's circuit makes the change.
        await Task.Run(() =>
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
            notifier.Publish(shown);
        });

        await Eventually.TrueAsync(() => seen is not null, "the page to reload");
        Assert.Equal("en-US", seen!.Name);
        Assert.Equal("en-US", seenUi!.Name);
        page.Dispose();
    }

    [Fact]
    public async Task A_change_made_by_the_page_itself_is_not_reported_as_made_elsewhere()
    {
        var circuit = new SynchronizationContext();
        var previous = SynchronizationContext.Current;
        var elsewhere = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        LiveRequestUpdates? page = null;
        SynchronizationContext.SetSynchronizationContext(circuit);
        try
        {
            page = new LiveRequestUpdates(notifier, clock, change => change.RequestId == shown, () =>
            {
                elsewhere.Enqueue(page!.ChangedElsewhere);
                return Task.CompletedTask;
            });
            page.Start();

            // The page's own action publishes on its own circuit...
            notifier.Publish(shown);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        await Eventually.TrueAsync(() => elsewhere.Count == 1, "the page to reload after its own change");
        Assert.False(elsewhere.Single());

        // ...another person's circuit, or a worker, does not.
        clock.Advance(LiveRequestUpdates.Window);
        await Task.Run(() => notifier.Publish(shown));
        await Eventually.TrueAsync(() => elsewhere.Count == 2, "the page to reload after someone else's change");
        Assert.True(elsewhere.Last());
        page.Dispose();
    }
}
