using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>
/// Computes when a data-subject request is due under the configured legal profile.
/// All counting happens on local dates in the deployment's time zone; a due date ends at
/// the last tick of its local day.
/// </summary>
internal sealed class DeadlineCalculator
{
    // The last millisecond, not the last tick: both SQLite and PostgreSQL store milliseconds faithfully.
    private static readonly TimeOnly LastMillisecond = new(23, 59, 59, 999);

    private Rules rules;

    /// <summary>Follows the options: a supervisor's change to holidays or the profile applies from the next request.</summary>
    public DeadlineCalculator(IOptionsMonitor<DeadlineOptions> options)
    {
        rules = new Rules(options.CurrentValue);
        options.OnChange(changed => rules = new Rules(changed));
    }

    public DeadlineCalculator(IOptions<DeadlineOptions> options) => rules = new Rules(options.Value);

    public TimeZoneInfo Zone => rules.Zone;

    /// <summary>The profile new requests get.</summary>
    public DeadlineProfile DefaultProfile => rules.Profile;

    private sealed class Rules(DeadlineOptions options)
    {
        public DeadlineProfile Profile { get; } = options.Profile;

        public HashSet<DateOnly> Holidays { get; } = [.. options.Holidays];

        public HashSet<DateOnly> WorkingWeekends { get; } = [.. options.WorkingWeekends];

        public TimeZoneInfo Zone { get; } = FindZone(options.TimeZone);
    }

    public DateOnly DueDate(DeadlineProfile profile, DateTimeOffset receivedAt, bool extended = false)
    {
        var received = LocalDate(receivedAt);
        return profile switch
        {
            // Civil Code Art. 201: the day of receipt is not counted. Art. 203: a period whose
            // last day is a holiday ends on the next working day.
            DeadlineProfile.CN => extended
                ? NextWorkingDayFrom(received.AddDays(30))
                : AddWorkingDays(received, 15),
            // Regulation 1182/71 Art. 3: a period in months ends on the same date of the later
            // month, or on its last day when that date does not exist (AddMonths clamps), and
            // moves to the next working day when it ends on a weekend or holiday. The extension
            // adds two further months, so the extended period is three months from receipt.
            DeadlineProfile.GDPR => NextWorkingDayFrom(received.AddMonths(extended ? 3 : 1)),
            // CCPA regulations count calendar days with no working-day adjustment.
            DeadlineProfile.CCPA => received.AddDays(extended ? 90 : 45),
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown deadline profile."),
        };
    }

    public DateTimeOffset DueAt(DeadlineProfile profile, DateTimeOffset receivedAt, bool extended = false) =>
        EndOfDay(DueDate(profile, receivedAt, extended));

    /// <summary>CCPA: a request must be acknowledged within 10 business days (receipt day not counted).</summary>
    public DateOnly AcknowledgeBy(DateTimeOffset receivedAt) => AddWorkingDays(LocalDate(receivedAt), 10);

    /// <summary>The new due instant after the portal waited for the requester from pausedAt to resumedAt.</summary>
    public DateTimeOffset Resume(
        DeadlineProfile profile, DateTimeOffset currentDueAt, bool extended, DateTimeOffset pausedAt, DateTimeOffset resumedAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resumedAt, pausedAt);
        var pausedOn = LocalDate(pausedAt);
        var resumedOn = LocalDate(resumedAt);
        var currentDue = LocalDate(currentDueAt);
        return profile switch
        {
            // Every working day spent (fully or partly) waiting is given back.
            DeadlineProfile.CN => EndOfDay(AddWorkingDays(currentDue, WorkingDaysWaited(pausedOn, resumedOn))),
            DeadlineProfile.CCPA => EndOfDay(currentDue.AddDays(resumedOn.DayNumber - pausedOn.DayNumber)),
            // GDPR: the period starts afresh once the information needed to act is received.
            DeadlineProfile.GDPR => DueAt(profile, resumedAt, extended),
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown deadline profile."),
        };
    }

    /// <summary>Monday–Friday minus configured holidays, plus configured make-up weekend days.</summary>
    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday
            ? rules.WorkingWeekends.Contains(date)
            : !rules.Holidays.Contains(date);

    /// <summary>The instant as the deployment's clock shows it: what every page displays.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    private DateTimeOffset EndOfDay(DateOnly date)
    {
        var lastTick = date.ToDateTime(LastMillisecond, DateTimeKind.Unspecified);
        return new DateTimeOffset(lastTick, Zone.GetUtcOffset(lastTick)).ToUniversalTime();
    }

    /// <summary>The count-th working day after start (start itself is never counted).</summary>
    private DateOnly AddWorkingDays(DateOnly start, int count)
    {
        var date = start;
        while (count > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                count--;
            }
        }

        return date;
    }

    private DateOnly NextWorkingDayFrom(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>Working days d with pausedOn &lt; d &lt;= resumedOn.</summary>
    private int WorkingDaysWaited(DateOnly pausedOn, DateOnly resumedOn)
    {
        var days = 0;
        for (var date = pausedOn.AddDays(1); date <= resumedOn; date = date.AddDays(1))
        {
            if (IsWorkingDay(date))
            {
                days++;
            }
        }

        return days;
    }

    private static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidOperationException(
                $"Configuration setting '{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.TimeZone)}' is empty; set an IANA time zone such as 'Asia/Shanghai'.");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException(
                $"Configuration setting '{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.TimeZone)}' names an unknown time zone '{id}'; use an IANA id such as 'Asia/Shanghai'.",
                ex);
        }
    }
}
