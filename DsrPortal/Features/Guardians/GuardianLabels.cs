namespace DsrPortal.Features.Guardians;

/// <summary>English keys for guardian links and documents; the localizer translates them.</summary>
public static class GuardianLabels
{
    public static string Problem(DocumentProblem problem) => problem switch
    {
        DocumentProblem.Empty => "The file is empty. Choose the scanned or photographed document.",
        DocumentProblem.TooLarge => "The file is larger than 5 MB. Scan it at a lower resolution or save it as a PDF.",
        _ => "Only PDF, JPEG or PNG documents are accepted, and this file is none of them, whatever its name says.",
    };

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
