using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>
/// Computes when a data-subject request is due under its legal profile. All counting happens on local
/// dates in the profile's time zone, on the profile's working-day calendar; a due date ends at the last
/// tick of its local day.
/// </summary>
internal sealed class DeadlineCalculator
{
    // The last millisecond, not the last tick: both SQLite and PostgreSQL store milliseconds faithfully.
    private static readonly TimeOnly LastMillisecond = new(23, 59, 59, 999);

    private static readonly Dictionary<DeadlineProfile, string> DefaultZones = new()
    {
        [DeadlineProfile.GDPR] = "Europe/Brussels",
        [DeadlineProfile.CCPA] = "America/Los_Angeles",
    };

    private Rules rules;

    /// <summary>Follows the options: a supervisor's change to holidays or the profile applies from the next request.</summary>
    public DeadlineCalculator(IOptionsMonitor<DeadlineOptions> options)
    {
        rules = new Rules(options.CurrentValue);
        options.OnChange(changed => rules = new Rules(changed));
    }

    public DeadlineCalculator(IOptions<DeadlineOptions> options) => rules = new Rules(options.Value);

    /// <summary>The deployment's zone (its default profile's): what pages show times in.</summary>
    public TimeZoneInfo Zone => rules.Default.Zone;

    /// <summary>The profile new requests get.</summary>
    public DeadlineProfile DefaultProfile => rules.Profile;

    public TimeZoneInfo ZoneOf(DeadlineProfile profile) => rules.For(profile).Zone;

    /// <summary>GDPR: the period starts afresh once the information needed to act is received.</summary>
    public static bool RestartsOnResume(DeadlineProfile profile) => profile == DeadlineProfile.GDPR;

    private sealed class Rules
    {
        private readonly Dictionary<DeadlineProfile, WorkingCalendar> calendars;

        public Rules(DeadlineOptions options)
        {
            Profile = options.Profile;
            var shipped = HolidayCalendarFile.Load(options.ResolvedCalendarFile);
            calendars = Enum.GetValues<DeadlineProfile>().ToDictionary(p => p, p =>
            {
                var own = options.Profiles.FirstOrDefault(e => string.Equals(e.Key, p.ToString(), StringComparison.OrdinalIgnoreCase)).Value;
                // The top-level settings predate per-profile ones and keep meaning the CN calendar.
                var isCn = p == DeadlineProfile.CN;
                var zone = own?.TimeZone is { Length: > 0 } id
                    ? FindZone(id, $"{DeadlineOptions.SectionName}:Profiles:{p}:TimeZone")
                    : isCn ? FindZone(options.TimeZone, $"{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.TimeZone)}")
                    : TimeZoneInfo.FindSystemTimeZoneById(DefaultZones[p]);
                return new WorkingCalendar(p, zone, shipped.GetValueOrDefault(p),
                    [.. own?.Holidays ?? [], .. isCn ? options.Holidays : []],
                    [.. own?.WorkingWeekends ?? [], .. isCn ? options.WorkingWeekends : []]);
            });
        }

        public DeadlineProfile Profile { get; }

        public WorkingCalendar Default => calendars[Profile];

        public WorkingCalendar For(DeadlineProfile profile) =>
            calendars.TryGetValue(profile, out var calendar)
                ? calendar
                : throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown deadline profile.");
    }

    public DateOnly DueDate(DeadlineProfile profile, DateTimeOffset receivedAt, bool extended = false)
    {
        var calendar = rules.For(profile);
        var received = LocalDate(calendar, receivedAt);
        return profile switch
        {
            // Civil Code Art. 201: the day of receipt is not counted. Art. 203: a period whose
            // last day is a holiday ends on the next working day.
            DeadlineProfile.CN => extended
                ? NextWorkingDayFrom(calendar, received.AddDays(30))
                : AddWorkingDays(calendar, received, 15),
            // Regulation 1182/71 Art. 3: a period in months ends on the same date of the later
            // month, or on its last day when that date does not exist (AddMonths clamps), and
            // moves to the next working day when it ends on a weekend or holiday. The extension
            // adds two further months, so the extended period is three months from receipt.
            DeadlineProfile.GDPR => NextWorkingDayFrom(calendar, received.AddMonths(extended ? 3 : 1)),
            // CCPA regulations count calendar days with no working-day adjustment.
            DeadlineProfile.CCPA => received.AddDays(extended ? 90 : 45),
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown deadline profile."),
        };
    }

    public DateTimeOffset DueAt(DeadlineProfile profile, DateTimeOffset receivedAt, bool extended = false) =>
        EndOfDay(rules.For(profile), DueDate(profile, receivedAt, extended));

    /// <summary>CCPA: a request must be acknowledged within 10 business days (receipt day not counted).</summary>
    public DateOnly AcknowledgeBy(DateTimeOffset receivedAt)
    {
        var calendar = rules.For(DeadlineProfile.CCPA);
        return AddWorkingDays(calendar, LocalDate(calendar, receivedAt), 10);
    }

    /// <summary>The new due instant after the portal waited for the requester from pausedAt to resumedAt.</summary>
    public DateTimeOffset Resume(
        DeadlineProfile profile, DateTimeOffset currentDueAt, bool extended, DateTimeOffset pausedAt, DateTimeOffset resumedAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resumedAt, pausedAt);
        var calendar = rules.For(profile);
        var pausedOn = LocalDate(calendar, pausedAt);
        var resumedOn = LocalDate(calendar, resumedAt);
        var currentDue = LocalDate(calendar, currentDueAt);
        return profile switch
        {
            // Every working day spent (fully or partly) waiting is given back.
            DeadlineProfile.CN => EndOfDay(calendar, AddWorkingDays(calendar, currentDue, WorkingDaysBetween(calendar, pausedOn, resumedOn))),
            DeadlineProfile.CCPA => EndOfDay(calendar, currentDue.AddDays(resumedOn.DayNumber - pausedOn.DayNumber)),
            DeadlineProfile.GDPR => DueAt(profile, resumedAt, extended),
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown deadline profile."),
        };
    }

    /// <summary>
    /// The extended due instant of a request whose clock may have stood still: the profile's extended
    /// period, counted the way its pauses were counted.
    /// </summary>
    /// <param name="clockStartedAt">Receipt, or where the GDPR clock last restarted.</param>
    public DateTimeOffset Extend(
        DeadlineProfile profile, DateTimeOffset receivedAt, DateTimeOffset clockStartedAt, DateTimeOffset originalDueAt, DateTimeOffset currentDueAt)
    {
        var calendar = rules.For(profile);
        var original = LocalDate(calendar, originalDueAt);
        var current = LocalDate(calendar, currentDueAt);
        return profile switch
        {
            // 30 days from receipt (Art. 203 moves it off a holiday), then the working days given back.
            DeadlineProfile.CN => EndOfDay(calendar,
                AddWorkingDays(calendar, DueDate(profile, receivedAt, extended: true), WorkingDaysBetween(calendar, original, current))),
            // Three months from the day the clock last started (Reg. 1182/71), not a span laid over a date.
            DeadlineProfile.GDPR => DueAt(profile, clockStartedAt, extended: true),
            // 90 calendar days from receipt plus the calendar days waited, counted on dates, so a change
            // of summer time cannot move the end of the day across midnight.
            DeadlineProfile.CCPA => EndOfDay(calendar, DueDate(profile, receivedAt, extended: true).AddDays(current.DayNumber - original.DayNumber)),
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown deadline profile."),
        };
    }

    /// <summary>On the deployment's default calendar.</summary>
    public bool IsWorkingDay(DateOnly date) => rules.Default.IsWorkingDay(date);

    /// <summary>Monday–Friday minus holidays, plus make-up weekend days, on the profile's calendar.</summary>
    public bool IsWorkingDay(DeadlineProfile profile, DateOnly date) => rules.For(profile).IsWorkingDay(date);

    /// <summary>The instant as the deployment's clock shows it: what pages display.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant as the profile's clock shows it: what a due date is read in.</summary>
    public DateTimeOffset Local(DeadlineProfile profile, DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, ZoneOf(profile));

    public DateOnly LocalDate(DateTimeOffset instant) => LocalDate(rules.Default, instant);

    public DateOnly LocalDate(DeadlineProfile profile, DateTimeOffset instant) => LocalDate(rules.For(profile), instant);

    /// <summary>
    /// Calendars with data that do not reach 60 days ahead: the years to load, per profile. Without
    /// them, holidays in those years would count as working days and due dates would come early.
    /// </summary>
    public IReadOnlyList<(DeadlineProfile Profile, int Year)> MissingCalendarYears(DateTimeOffset now)
    {
        var missing = new List<(DeadlineProfile, int)>();
        foreach (var profile in Enum.GetValues<DeadlineProfile>())
        {
            var calendar = rules.For(profile);
            var today = LocalDate(calendar, now);
            if (calendar.HasData)
            {
                missing.AddRange(Enumerable.Range(today.Year, today.AddDays(60).Year - today.Year + 1)
                    .Where(year => !calendar.Years.Contains(year))
                    .Select(year => (profile, year)));
            }
        }

        return missing;
    }

    private static DateOnly LocalDate(WorkingCalendar calendar, DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, calendar.Zone).DateTime);

    private static DateTimeOffset EndOfDay(WorkingCalendar calendar, DateOnly date)
    {
        var lastTick = date.ToDateTime(LastMillisecond, DateTimeKind.Unspecified);
        return new DateTimeOffset(lastTick, calendar.Zone.GetUtcOffset(lastTick)).ToUniversalTime();
    }

    /// <summary>The count-th working day after start (start itself is never counted).</summary>
    private static DateOnly AddWorkingDays(WorkingCalendar calendar, DateOnly start, int count)
    {
        var date = start;
        while (count > 0)
        {
            date = date.AddDays(1);
            if (calendar.IsWorkingDay(date))
            {
                count--;
            }
        }

        return date;
    }

    private static DateOnly NextWorkingDayFrom(WorkingCalendar calendar, DateOnly date)
    {
        while (!calendar.IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>Working days d with from &lt; d &lt;= to.</summary>
    private static int WorkingDaysBetween(WorkingCalendar calendar, DateOnly from, DateOnly to)
    {
        var days = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            if (calendar.IsWorkingDay(date))
            {
                days++;
            }
        }

        return days;
    }

    private static TimeZoneInfo FindZone(string? id, string setting)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidOperationException($"Configuration setting '{setting}' is empty; set an IANA time zone such as 'Asia/Shanghai'.");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException(
                $"Configuration setting '{setting}' names an unknown time zone '{id}'; use an IANA id such as 'Asia/Shanghai'.", ex);
        }
    }
}
