using DsrPortal.Features.DataSources;

namespace DsrPortal.Features.Fulfilment;

/// <summary>The English keys of what erasure does to a category; the localizer translates them.</summary>
public static class FulfilmentLabels
{
    public static string Action(ErasureAction action) => action switch
    {
        ErasureAction.DeleteRows => "Deleted",
        ErasureAction.SetNull => "Erased (fields emptied)",
        ErasureAction.Pseudonymise => "Pseudonymised (no longer identifies you)",
        _ => "Kept, stored only",
    };
}
