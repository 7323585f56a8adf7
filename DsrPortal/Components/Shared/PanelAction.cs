using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Components.Shared;

/// <summary>
/// One action of a panel on a request: busy while it runs (so a second click does nothing), the refusal
/// in the reader's words, and what follows success. Every panel that moves a request uses it.
/// </summary>
public sealed class PanelAction(IStringLocalizer<SharedResource> localizer)
{
    public bool Busy { get; private set; }

    /// <summary>Why the last action was refused, ready to show; null after a success.</summary>
    public string? Error { get; set; }

    /// <param name="settled">Runs after the action whatever its outcome (reload the request), with whether it succeeded.</param>
    public async Task<bool> RunAsync(Func<Task<WorkflowResult>> action, Func<bool, Task>? settled = null)
    {
        if (Busy)
        {
            return false;
        }

        Busy = true;
        Error = null;
        bool succeeded;
        try
        {
            var result = await action();
            Error = result.Error is { } e ? localizer.Describe(e) : null;
            succeeded = result.Succeeded;
        }
        finally
        {
            Busy = false;
        }

        if (settled is not null)
        {
            await settled(succeeded);
        }

        return succeeded;
    }
}
