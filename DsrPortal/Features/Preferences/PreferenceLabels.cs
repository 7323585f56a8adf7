namespace DsrPortal.Features.Preferences;

/// <summary>The words for each use of data a person can refuse: keys of the shared resource table.</summary>
internal static class PreferenceLabels
{
    public static string Name(ProcessingPurpose purpose) => purpose switch
    {
        ProcessingPurpose.PersonalisedRecommendations => "Personalised recommendations",
        ProcessingPurpose.Advertising => "Advertising chosen for you",
        _ => "Crowd portraits",
    };

    public static string Description(ProcessingPurpose purpose) => purpose switch
    {
        ProcessingPurpose.PersonalisedRecommendations => "Content and dynamics picked from what you search, read and like (policy clauses 1.4 and 3). Refused: you see content not chosen from your personal characteristics.",
        ProcessingPurpose.Advertising => "Advertisements chosen from how you use the app (policy clause 3). Refused: any advertisements you see are not chosen for you.",
        _ => "Indirect portraits of groups of users built from feature tags (policy clause 3). Refused: your data is left out of them.",
    };
}
