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
}
