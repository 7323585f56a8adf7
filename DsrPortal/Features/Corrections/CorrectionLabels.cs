using DsrPortal.Features.DataSources;

namespace DsrPortal.Features.Corrections;

/// <summary>English keys naming correctable fields; the localizer translates them.</summary>
public static class CorrectionLabels
{
    /// <summary>"Profile.nickname" reads "App profile" and "Nickname".</summary>
    public static (string Place, string Field) Of(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (key, key) : (Place(key[..dot]), Column(key[(dot + 1)..]));
    }

    public static string Place(string category) => category switch
    {
        "Profile" => "App profile",
        PortalDataSource.Account => "Portal account",
        _ => category,
    };

    public static string Column(string column) => column switch
    {
        "nickname" => "Nickname",
        "gender" => "Gender",
        "constellation" => "Constellation",
        _ => column,
    };

    public static string Decision(CorrectionDecision decision) => decision switch
    {
        CorrectionDecision.Accepted => "Corrected",
        CorrectionDecision.Refused => "Not changed",
        _ => "Waiting for a decision",
    };
}
