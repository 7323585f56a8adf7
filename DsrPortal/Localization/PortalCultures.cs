using System.Globalization;

namespace DsrPortal.Localization;

public static class PortalCultures
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-CN";

    public static readonly IReadOnlyList<string> Supported = [English, SimplifiedChinese];

    public static bool IsSupported(string? culture) =>
        culture is not null && Supported.Contains(culture, StringComparer.OrdinalIgnoreCase);

    /// <summary>The supported culture the current UI culture belongs to (zh-Hans-CN and zh count as Chinese).</summary>
    public static string Current =>
        CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? SimplifiedChinese : English;

    public static string Normalize(string? culture) =>
        culture is not null && culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? SimplifiedChinese : English;

    /// <summary>
    /// Switches the UI culture until disposed: text written for someone else (an email, an outcome note,
    /// an export's cover page) comes out in their language, not the current request's.
    /// </summary>
    public static IDisposable Use(string? culture)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(Normalize(culture));
        return new Restore(previous);
    }

    private sealed class Restore(CultureInfo previous) : IDisposable
    {
        public void Dispose() => CultureInfo.CurrentUICulture = previous;
    }
}
