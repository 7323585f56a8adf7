using System.Globalization;
using System.Text.Json;

namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>
/// The official calendars an operator extends each year (wwwroot-assets/holiday-calendars.json): per
/// profile and year, the weekday holidays and the weekend make-up working days.
/// </summary>
internal static class HolidayCalendarFile
{
    public sealed record Calendar(IReadOnlySet<int> Years, IReadOnlySet<DateOnly> Holidays, IReadOnlySet<DateOnly> WorkingWeekends);

    /// <summary>Reads the file, refusing a profile, year or date it cannot place, in one line naming the file.</summary>
    public static IReadOnlyDictionary<DeadlineProfile, Calendar> Load(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return new Dictionary<DeadlineProfile, Calendar>();
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Deadlines:CalendarFile: no file at '{path}'.");
        }

        CalendarsFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize<CalendarsFile>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"Deadlines:CalendarFile '{path}' is not valid: {exception.Message}", exception);
        }

        var calendars = new Dictionary<DeadlineProfile, Calendar>();
        foreach (var (name, profile) in file?.Calendars ?? [])
        {
            if (!Enum.GetNames<DeadlineProfile>().Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Deadlines:CalendarFile '{path}' names '{name}', which is not a deadline profile (CN, GDPR or CCPA).");
            }

            HashSet<int> years = [];
            HashSet<DateOnly> holidays = [], workingWeekends = [];
            foreach (var (yearText, year) in profile.Years ?? [])
            {
                var dates = (year.Holidays ?? []).Concat(year.WorkingWeekends ?? []).ToList();
                if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || dates.Any(d => d.Year != number))
                {
                    throw new InvalidOperationException($"Deadlines:CalendarFile '{path}': {name} year '{yearText}' is not a year or lists a date of another year.");
                }

                foreach (var day in year.WorkingWeekends ?? [])
                {
                    if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    {
                        throw new InvalidOperationException(
                            $"Deadlines:CalendarFile '{path}': {name} make-up working day {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is a {day.DayOfWeek}, not a Saturday or Sunday.");
                    }
                }

                years.Add(number);
                holidays.UnionWith(year.Holidays ?? []);
                workingWeekends.UnionWith(year.WorkingWeekends ?? []);
            }

            calendars[Enum.Parse<DeadlineProfile>(name, ignoreCase: true)] = new Calendar(years, holidays, workingWeekends);
        }

        return calendars;
    }

    private sealed record CalendarsFile(Dictionary<string, ProfileEntry>? Calendars);

    private sealed record ProfileEntry(Dictionary<string, YearEntry>? Years);

    private sealed record YearEntry(List<DateOnly>? Holidays, List<DateOnly>? WorkingWeekends);
}
