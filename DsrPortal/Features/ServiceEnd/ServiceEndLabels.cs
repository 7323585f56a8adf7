namespace DsrPortal.Features.ServiceEnd;

/// <summary>The words for each stage of the end of the service: keys of the shared resource table.</summary>
internal static class ServiceEndLabels
{
    public static string Stage(ServiceEndState state) => state switch
    {
        ServiceEndState.Announced => "Announced: everyone was told; nothing is erased before the date.",
        ServiceEndState.Enrolling => "The date passed: every account is being given a deletion.",
        ServiceEndState.Erasing => "Accounts are being deleted.",
        ServiceEndState.Sweeping => "People without an account are being erased from the company's systems.",
        ServiceEndState.Finished => "Finished.",
        _ => "Called off.",
    };
}
