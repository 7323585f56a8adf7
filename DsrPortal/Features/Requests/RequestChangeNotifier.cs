namespace DsrPortal.Features.Requests;

/// <summary>
/// Tells open queue and detail pages in this process that a request changed, so agents see each
/// other's work live. Several instances would relay this through the database (e.g. PostgreSQL NOTIFY).
/// </summary>
public sealed class RequestChangeNotifier
{
    public event Func<Guid, Task>? Changed;

    public async Task PublishAsync(Guid requestId)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<Guid, Task>>())
        {
            try
            {
                await handler(requestId);
            }
            catch (ObjectDisposedException)
            {
                // A page closed between the change and the notice: nothing to update.
            }
        }
    }
}
