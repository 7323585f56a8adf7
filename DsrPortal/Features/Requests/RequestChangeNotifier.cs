namespace DsrPortal.Features.Requests;

/// <summary>
/// A committed change to a request: its id and, where the writer knew them, copies of the request before and after
/// (no <paramref name="Before"/> for a new request). A page uses them to tell whether the change touches what it
/// shows; a change known only by its id may touch anything.
/// </summary>
public sealed record RequestChange(Guid RequestId, DataSubjectRequest? Before = null, DataSubjectRequest? After = null)
{
    public bool OnlyId => Before is null && After is null;

    /// <summary>
    /// Where the change was published from: the synchronization context of the circuit whose action made it (null for
    /// a worker). A page compares it with its own to tell its own actions from everyone else's.
    /// </summary>
    public object? Origin { get; init; }

    /// <summary>Heard from another portal instance (PostgreSQL NOTIFY): known by its id only, and not sent on again.</summary>
    public bool FromAnotherInstance { get; init; }
}

/// <summary>
/// Tells open queue and detail pages in this process that a request changed, so agents see each
/// other's work live. With several instances, <c>ClusterSignals</c> relays changes to and from the others.
/// </summary>
public sealed class RequestChangeNotifier(ILogger<RequestChangeNotifier> logger)
{
    public event Func<RequestChange, Task>? Changed;

    /// <summary>
    /// Fire and forget: the change is committed already, so neither a slow page nor a failing one may
    /// delay or fail the action that caused it.
    /// </summary>
    public void Publish(Guid requestId) => Publish(new RequestChange(requestId));

    /// <inheritdoc cref="Publish(Guid)"/>
    public void Publish(RequestChange change)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        // Read here, on the publisher's own flow: the handlers run on the thread pool, where there is none.
        change = change with { Origin = change.FromAnotherInstance ? null : SynchronizationContext.Current };

        foreach (var handler in handlers.GetInvocationList().Cast<Func<RequestChange, Task>>())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await handler(change);
                }
                catch (ObjectDisposedException)
                {
                    // A page closed between the change and the notice: nothing to update.
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "A page failed to refresh after request {RequestId} changed", change.RequestId);
                }
            });
        }
    }
}
