namespace DsrPortal.Features.Requests;

/// <summary>
/// Tells open queue and detail pages in this process that a request changed, so agents see each
/// other's work live. Several instances would relay this through the database (e.g. PostgreSQL NOTIFY).
/// </summary>
public sealed class RequestChangeNotifier(ILogger<RequestChangeNotifier> logger)
{
    public event Func<Guid, Task>? Changed;

    /// <summary>
    /// Fire and forget: the change is committed already, so neither a slow page nor a failing one may
    /// delay or fail the action that caused it.
    /// </summary>
    public void Publish(Guid requestId)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<Guid, Task>>())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await handler(requestId);
                }
                catch (ObjectDisposedException)
                {
                    // A page closed between the change and the notice: nothing to update.
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "A page failed to refresh after request {RequestId} changed", requestId);
                }
            });
        }
    }
}
