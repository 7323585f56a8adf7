namespace DsrPortal.Features.Requests.Deadlines;

public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    /// <summary>CN (default), GDPR or CCPA.</summary>
    public DeadlineProfile Profile { get; set; } = DeadlineProfile.CN;

    /// <summary>IANA time zone of the CN profile; receipts are dated and due dates end in this zone.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>CN holidays that fall on weekdays, added to the shipped official calendar.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>CN make-up working days that fall on a Saturday or Sunday; they win over any listed holiday.</summary>
    public List<DateOnly> WorkingWeekends { get; set; } = [];

    /// <summary>
    /// The official calendars shipped with the portal, per profile and year. A relative path is found in
    /// Branding:AssetsPath (then next to the binaries); empty means none.
    /// </summary>
    public string CalendarFile { get; set; } = "holiday-calendars.json";

    /// <summary>Per profile (CN, GDPR, CCPA): its own time zone and its own holidays and make-up days.</summary>
    public Dictionary<string, ProfileCalendarOptions> Profiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set at start-up to the calendar file actually read ("" for none).</summary>
    public string ResolvedCalendarFile { get; set; } = "";
}

public sealed class ProfileCalendarOptions
{
    /// <summary>IANA time zone; when empty, the profile's default (CN: Deadlines:TimeZone, GDPR: Europe/Brussels, CCPA: America/Los_Angeles).</summary>
    public string? TimeZone { get; set; }

    public List<DateOnly> Holidays { get; set; } = [];

    public List<DateOnly> WorkingWeekends { get; set; } = [];
}
