namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>
/// One profile's calendar: its time zone, and which days are working days. Configured make-up days win,
/// then configured holidays, then the shipped official calendar, then Monday to Friday.
/// </summary>
internal sealed class WorkingCalendar
{
    private readonly HolidayCalendarFile.Calendar shipped;
    private readonly HashSet<DateOnly> holidays;
    private readonly HashSet<DateOnly> workingWeekends;

    public WorkingCalendar(
        DeadlineProfile profile, TimeZoneInfo zone, HolidayCalendarFile.Calendar? shipped, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workingWeekends)
    {
        Profile = profile;
        Zone = zone;
        this.shipped = shipped ?? new HolidayCalendarFile.Calendar(new HashSet<int>(), new HashSet<DateOnly>(), new HashSet<DateOnly>());
        this.holidays = [.. holidays];
        this.workingWeekends = [.. workingWeekends];
        Years = new HashSet<int>([.. this.shipped.Years, .. this.holidays.Select(d => d.Year), .. this.workingWeekends.Select(d => d.Year)]);
    }

    public DeadlineProfile Profile { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Years with data, shipped or configured: a year counts as loaded once any of its dates is listed.</summary>
    public IReadOnlySet<int> Years { get; }

    /// <summary>Whether anything was shipped or configured: only such a calendar can fall short of a year.</summary>
    public bool HasData => Years.Count > 0;

    public bool IsWorkingDay(DateOnly date)
    {
        if (workingWeekends.Contains(date))
        {
            return true;
        }

        if (holidays.Contains(date))
        {
            return false;
        }

        if (shipped.WorkingWeekends.Contains(date))
        {
            return true;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !shipped.Holidays.Contains(date);
    }
}
