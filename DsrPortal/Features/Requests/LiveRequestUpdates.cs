namespace DsrPortal.Features.Requests;

/// <summary>
/// Keeps one open page in step with changes to requests. It listens only once the page is interactive
/// (<see cref="Start"/> when <c>RendererInfo.IsInteractive</c>, before the page loads), so a prerendering page never
/// receives a notice and none is missed between the load and the subscription,
/// and a burst of changes costs the page at most one reload per <see cref="Window"/>: the first notice
/// reloads at once, the rest of the window's notices are folded into one trailing reload. Pages pace it on
/// <see cref="TimeProvider.System"/>: it paces a screen for a person, not portal time a test may stop.
/// </summary>
public sealed class LiveRequestUpdates(
    RequestChangeNotifier notifier, TimeProvider clock, Func<RequestChange, bool> concerns, Func<Task> reload) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private bool started;
    private bool trailing;
    private DateTimeOffset lastReload = DateTimeOffset.MinValue;
    private CancellationTokenSource? stopped;

    public void Start()
    {
        lock (gate)
        {
            if (started)
            {
                return;
            }

            started = true;
            stopped = new CancellationTokenSource();
        }

        notifier.Changed += OnChangedAsync;
    }

    private async Task OnChangedAsync(RequestChange change)
    {
        if (!concerns(change))
        {
            return;
        }

        TimeSpan wait;
        CancellationToken token;
        lock (gate)
        {
            if (trailing || stopped is null)
            {
                return;
            }

            wait = lastReload + Window - clock.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                lastReload = clock.GetUtcNow();
                wait = TimeSpan.Zero;
            }
            else
            {
                trailing = true;
            }

            token = stopped.Token;
        }

        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, clock, token);
            }
            catch (OperationCanceledException)
            {
                return; // The page closed while the reload waited.
            }

            lock (gate)
            {
                trailing = false;
                lastReload = clock.GetUtcNow();
            }
        }

        await reload();
    }

    public void Dispose()
    {
        notifier.Changed -= OnChangedAsync;
        lock (gate)
        {
            stopped?.Cancel();
            stopped?.Dispose();
            stopped = null;
        }
    }
}
