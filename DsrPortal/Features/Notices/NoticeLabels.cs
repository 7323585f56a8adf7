namespace DsrPortal.Features.Notices;

/// <summary>The words for notice kinds and audiences: keys of the shared resource table.</summary>
internal static class NoticeLabels
{
    public static string Kind(NoticeKind kind) => kind switch
    {
        NoticeKind.PolicyChange => "A change of the privacy policy",
        NoticeKind.NewPurpose => "A new use of data, asking consent",
        NoticeKind.Merger => "A merger or acquisition that moves the data",
        NoticeKind.Breach => "A data breach",
        _ => "The end of the service",
    };

    public static string Audience(NoticeAudience audience) => audience switch
    {
        NoticeAudience.Everyone => "Everyone",
        NoticeAudience.HoldingCategory => "People we hold a category of data for",
        _ => "A list of people",
    };
}
