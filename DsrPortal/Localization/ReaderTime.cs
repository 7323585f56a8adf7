using DsrPortal.Features.Requests.Deadlines;

namespace DsrPortal.Localization;

/// <summary>
/// Times as the reader's own clock shows them. The browser reports its zone in a cookie (js/reader-zone.js);
/// App.razor hands it to the circuit, and every time a page shows is converted here. Without the cookie, or
/// with a zone this machine does not know, the deployment's zone applies. Due dates are not converted: a
/// deadline is a day where its rules' day ends (<see cref="DeadlineCalculator.Local(DeadlineProfile, DateTimeOffset)"/>).
/// </summary>
internal sealed class ReaderTime(DeadlineCalculator deadlines)
{
    /// <summary>The browser's IANA zone, e.g. Asia/Shanghai or Europe/Berlin; not personal enough to need protecting.</summary>
    public const string CookieName = ".DsrPortal.TimeZone";

    private TimeZoneInfo? zone;

    public TimeZoneInfo Zone => zone ?? deadlines.Zone;

    /// <summary>Reads as the given zone from now on; an unknown or malformed one leaves the deployment's.</summary>
    public void Use(string? zoneId) => zone = Find(zoneId);

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A zone by its IANA id, or null: the id comes from a cookie or an account row, so it is checked, never trusted.</summary>
    public static TimeZoneInfo? Find(string? zoneId) =>
        zoneId is { Length: > 0 and <= 64 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+')
            && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found)
            ? found
            : null;
}
