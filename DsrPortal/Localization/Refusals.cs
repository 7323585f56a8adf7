namespace DsrPortal.Localization;

/// <summary>
/// Marks the words of a refusal a service returns: a key of the shared resource table, translated where it is
/// shown (the localization coverage test reads every call with its literal key).
/// </summary>
public static class Refusals
{
    public static string Refuse(string key) => key;
}
