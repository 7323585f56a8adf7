namespace DsrPortal.Features.Deceased;

/// <summary>The words for the deceased's data: keys of the shared resource table.</summary>
internal static class DeceasedLabels
{
    public static string Kinship(Kinship kinship) => kinship switch
    {
        Deceased.Kinship.Spouse => "Spouse",
        Deceased.Kinship.Parent => "Parent",
        Deceased.Kinship.Child => "Child",
        Deceased.Kinship.Sibling => "Brother or sister",
        Deceased.Kinship.Grandparent => "Grandparent",
        Deceased.Kinship.Grandchild => "Grandchild",
        _ => "The person they named",
    };

    public static string Status(RelativeClaimStatus status) => status switch
    {
        RelativeClaimStatus.Submitted => "Waiting for the documents to be checked",
        RelativeClaimStatus.Verified => "Verified: the request goes on",
        _ => "Refused",
    };

    public static string Document(RelativeDocumentKind kind) => kind switch
    {
        RelativeDocumentKind.DeathCertificate => "Death certificate",
        _ => "Proof of the relationship",
    };

    public static string Asked(Requests.RequestType asked) => asked switch
    {
        Requests.RequestType.Export => "A copy of their data",
        Requests.RequestType.Correction => "Correcting their data",
        _ => "Deleting their account and data",
    };

    public static string Choice(LegacyChoice choice) => choice switch
    {
        LegacyChoice.Relatives => "As the law provides: my close relatives may ask, for their own lawful interests",
        LegacyChoice.Nobody => "Nobody may see, copy, correct or delete my data for me",
        _ => "Only the person I name",
    };
}
