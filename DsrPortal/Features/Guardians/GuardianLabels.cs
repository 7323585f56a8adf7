namespace DsrPortal.Features.Guardians;

/// <summary>English keys for guardian links and documents; the localizer translates them.</summary>
public static class GuardianLabels
{
    public static string Status(GuardianLinkStatus status) => status switch
    {
        GuardianLinkStatus.Invited => "Invitation sent",
        GuardianLinkStatus.AwaitingDocuments => "Waiting for the guardian's documents",
        GuardianLinkStatus.PendingVerification => "Being checked by customer service",
        GuardianLinkStatus.Verified => "Verified",
        GuardianLinkStatus.Refused => "Not verified",
        _ => "Ended",
    };

    public static string Kind(GuardianDocumentKind kind) => kind switch
    {
        GuardianDocumentKind.ProofOfGuardianship => "Proof of guardianship",
        _ => "Signed written consent",
    };

    public static string Consent(bool verified, bool inForce) => (verified, inForce) switch
    {
        (false, _) => "None verified",
        (_, true) => "Given and verified",
        _ => "Withdrawn by the guardian",
    };
}
