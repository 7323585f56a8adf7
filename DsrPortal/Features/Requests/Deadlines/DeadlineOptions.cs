namespace DsrPortal.Features.Requests.Deadlines;

public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    /// <summary>CN (default), GDPR or CCPA.</summary>
    public DeadlineProfile Profile { get; set; } = DeadlineProfile.CN;

    /// <summary>IANA time zone of the deployment; receipts are dated and due dates end in this zone.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Public holidays that fall on weekdays and are therefore not working days.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>Make-up working days that fall on a Saturday or Sunday.</summary>
    public List<DateOnly> WorkingWeekends { get; set; } = [];
}
