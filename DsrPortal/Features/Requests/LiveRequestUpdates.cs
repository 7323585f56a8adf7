using System.Globalization;

namespace DsrPortal.Features.Requests;

/// <summary>
/// Keeps one open page in step with changes to requests. It listens only once the page is interactive
/// (<see cref="Start"/> when <c>RendererInfo.IsInteractive</c>, before the page loads), so a prerendering page never
/// receives a notice and none is missed between the load and the subscription,
/// and a burst of changes costs the page at most one reload per <see cref="Window"/>: the first notice
/// reloads at once, the rest of the window's notices are folded into one trailing reload. Pages pace it on
/// <see cref="TimeProvider.System"/>: it paces a screen for a person, not portal time a test may stop.
/// A notice arrives on the thread (and in the culture) of whoever made the change, another person's circuit or a
/// worker: the reload runs in the page's own culture, taken when the page created this, so an English page stays
/// English when a Chinese subject writes, and its dates keep the reader's format when the worker finishes.
/// </summary>
public sealed class LiveRequestUpdates(
    RequestChangeNotifier notifier, TimeProvider clock, Func<RequestChange, bool> concerns, Func<Task> reload) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The page's own circuit: a change published on it was made by this page (its own action), not elsewhere.</summary>
    private readonly SynchronizationContext? home = SynchronizationContext.Current;
    private readonly CultureInfo culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo uiCulture = CultureInfo.CurrentUICulture;
    private readonly Lock gate = new();
    private bool started;
    private bool trailing;
    private bool elsewhere;
    private DateTimeOffset lastReload = DateTimeOffset.MinValue;
    private CancellationTokenSource? stopped;

    /// <summary>
    /// Read inside the reload: whether any change it shows was made outside this page (another person, another tab, a
    /// worker) rather than by this page's own action, which already knows what it did.
    /// </summary>
    public bool ChangedElsewhere { get; private set; }

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

        var fromHere = home is not null && ReferenceEquals(change.Origin, home);
        TimeSpan wait;
        CancellationToken token;
        lock (gate)
        {
            elsewhere |= !fromHere;
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

        // Flows into the page's InvokeAsync with this call's execution context, and ends with this call.
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = uiCulture;
        lock (gate)
        {
            ChangedElsewhere = elsewhere;
            elsewhere = false;
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
