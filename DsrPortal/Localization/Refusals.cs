namespace DsrPortal.Localization;

/// <summary>
/// Marks the words of a refusal a service returns: a key of the shared resource table, translated where it is
/// shown (the localization coverage test finds every <c>Refuse("...")</c>).
/// </summary>
public static class Refusals
{
    public static string Refuse(string key) => key;
}
