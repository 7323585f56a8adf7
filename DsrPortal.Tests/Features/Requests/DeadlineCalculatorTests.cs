using System.Globalization;
using DsrPortal.Features.Requests.Deadlines;

namespace DsrPortal.Tests.Features.Requests;

public sealed class DeadlineCalculatorTests
{
    // China's 2026 Mid-Autumn and National Day, configured by hand: 25 Sep and 1–7 October off,
    // made up on Sun 20 Sep and Sat 10 Oct (Sun 27 Sep is a day off, not a make-up day).
    private static DeadlineOptions NationalDay2026() => new()
    {
        Holidays = [new DateOnly(2026, 9, 25), .. Enumerable.Range(1, 7).Select(day => new DateOnly(2026, 10, day))],
        WorkingWeekends = [new DateOnly(2026, 9, 20), new DateOnly(2026, 10, 10)],
    };

    private static DeadlineCalculator Calculator(DeadlineOptions? options = null) =>
        new(global::Microsoft.Extensions.Options.Options.Create(options ?? new DeadlineOptions()));

    /// <summary>Every profile counted in one zone.</summary>
    private static DeadlineCalculator CalculatorIn(string timeZone) => Calculator(new DeadlineOptions
    {
        TimeZone = timeZone,
        Profiles = { ["GDPR"] = new() { TimeZone = timeZone }, ["CCPA"] = new() { TimeZone = timeZone } },
    });

    private static DateTimeOffset Instant(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static DateOnly Date(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-02T10:00:00+08:00", "2026-11-23")] // Monday morning
    [InlineData("2026-11-06T20:30:00+08:00", "2026-11-27")] // Friday evening: counting starts on Monday
    [InlineData("2026-11-05T23:30:00Z", "2026-11-27")] // already Friday 07:30 in Shanghai; the UTC date would give 26 Nov
    public void Cn_counts_fifteen_working_days_after_the_day_of_receipt(string receivedAt, string expected)
    {
        var calculator = Calculator();

        Assert.Equal(Date(expected), calculator.DueDate(DeadlineProfile.CN, Instant(receivedAt)));
    }

    [Fact]
    public void Cn_uses_the_local_date_of_receipt_not_the_utc_date()
    {
        var calculator = Calculator();

        Assert.Equal(new DateOnly(2026, 11, 6), calculator.LocalDate(Instant("2026-11-05T23:30:00Z")));
    }

    [Fact]
    public void Cn_skips_configured_holidays_and_counts_make_up_weekend_days()
    {
        var calculator = Calculator(NationalDay2026());

        // Thu 24 Sep: 25 Sep off, 28(1) 29(2) 30(3) | 1–7 Oct off | 8 Oct(4) 9(5) Sat 10(6) 12(7) … 16(11) 19(12) 20(13) 21(14) 22(15).
        Assert.Equal(new DateOnly(2026, 10, 22), calculator.DueDate(DeadlineProfile.CN, Instant("2026-09-24T10:00:00+08:00")));
    }

    [Theory]
    [InlineData("2026-10-01", false)] // Thursday, National Day holiday
    [InlineData("2026-10-07", false)] // Wednesday, last day of the holiday week
    [InlineData("2026-10-10", true)] // Saturday, make-up working day
    [InlineData("2026-09-20", true)] // Sunday, make-up working day
    [InlineData("2026-09-27", false)] // Sunday, a Mid-Autumn day off
    [InlineData("2026-10-03", false)] // ordinary Saturday
    [InlineData("2026-10-08", true)] // ordinary Thursday
    public void Working_days_are_weekdays_minus_holidays_plus_make_up_weekend_days(string date, bool expected)
    {
        var calculator = Calculator(NationalDay2026());

        Assert.Equal(expected, calculator.IsWorkingDay(Date(date)));
    }

    [Theory]
    [InlineData("2026-11-02T10:00:00+08:00", "2026-12-02")] // day 30 is Wednesday 2 Dec
    [InlineData("2026-11-05T10:00:00+08:00", "2026-12-07")] // day 30 is Saturday 5 Dec -> Monday
    [InlineData("2026-11-06T10:00:00+08:00", "2026-12-07")] // day 30 is Sunday 6 Dec -> Monday
    [InlineData("2026-09-01T10:00:00+08:00", "2026-10-08")] // day 30 is National Day 1 Oct -> Thursday 8 Oct
    public void Cn_extended_is_thirty_calendar_days_moved_off_weekends_and_holidays(string receivedAt, string expected)
    {
        var calculator = Calculator(NationalDay2026());

        Assert.Equal(Date(expected), calculator.DueDate(DeadlineProfile.CN, Instant(receivedAt), extended: true));
    }

    [Theory]
    [InlineData("2026-01-15T10:00:00+08:00", "2026-02-16")] // 15 Feb is a Sunday -> Monday
    [InlineData("2026-01-31T10:00:00+08:00", "2026-03-02")] // no 31 Feb -> Saturday 28 Feb -> Monday 2 Mar
    [InlineData("2028-01-31T10:00:00+08:00", "2028-02-29")] // leap year: Tuesday 29 Feb
    [InlineData("2026-03-10T10:00:00+08:00", "2026-04-10")] // Friday
    public void Gdpr_is_due_on_the_same_date_next_month_or_the_next_working_day(string receivedAt, string expected)
    {
        var calculator = Calculator();

        Assert.Equal(Date(expected), calculator.DueDate(DeadlineProfile.GDPR, Instant(receivedAt)));
    }

    [Theory]
    [InlineData("2026-01-31T10:00:00+08:00", "2026-04-30")] // Thursday; three months from receipt, not two from 28 Feb
    [InlineData("2026-03-10T10:00:00+08:00", "2026-06-10")] // Wednesday
    public void Gdpr_extended_is_three_months_after_receipt(string receivedAt, string expected)
    {
        var calculator = Calculator();

        Assert.Equal(Date(expected), calculator.DueDate(DeadlineProfile.GDPR, Instant(receivedAt), extended: true));
    }

    [Fact]
    public void Ccpa_counts_forty_five_calendar_days_and_ninety_when_extended()
    {
        var calculator = CalculatorIn("America/Los_Angeles");
        var receivedAt = Instant("2026-11-02T09:00:00-08:00");

        Assert.Equal(new DateOnly(2026, 12, 17), calculator.DueDate(DeadlineProfile.CCPA, receivedAt));
        Assert.Equal(new DateOnly(2027, 1, 31), calculator.DueDate(DeadlineProfile.CCPA, receivedAt, extended: true));
    }

    [Fact]
    public void Acknowledgement_is_due_ten_working_days_after_the_day_of_receipt()
    {
        var calculator = CalculatorIn("America/Los_Angeles");

        Assert.Equal(new DateOnly(2026, 11, 16), calculator.AcknowledgeBy(Instant("2026-11-02T09:00:00-08:00")));
    }

    [Fact]
    public void Due_at_is_the_last_tick_of_the_local_due_date_in_utc()
    {
        var calculator = Calculator();

        var dueAt = calculator.DueAt(DeadlineProfile.CN, Instant("2026-11-02T10:00:00+08:00"));

        Assert.Equal(Instant("2026-11-23T15:59:59.999Z"), dueAt);
        Assert.Equal(TimeSpan.Zero, dueAt.Offset);
    }

    [Theory]
    [InlineData("2026-01-15T10:00:00+01:00", false, "2026-02-16T22:59:59.999Z")] // winter time, UTC+1
    [InlineData("2026-01-31T10:00:00+01:00", true, "2026-04-30T21:59:59.999Z")] // summer time, UTC+2
    public void Due_at_uses_the_zone_offset_of_the_due_date(string receivedAt, bool extended, string expected)
    {
        var calculator = CalculatorIn("Europe/Berlin");

        Assert.Equal(Instant(expected), calculator.DueAt(DeadlineProfile.GDPR, Instant(receivedAt), extended));
    }

    [Theory]
    [InlineData("2026-11-03T10:00:00+08:00", "2026-11-05T16:00:00+08:00", "2026-11-25T15:59:59.999Z")] // Wed + Thu waited
    [InlineData("2026-11-06T10:00:00+08:00", "2026-11-09T09:00:00+08:00", "2026-11-24T15:59:59.999Z")] // only Monday waited
    [InlineData("2026-11-03T09:00:00+08:00", "2026-11-03T17:00:00+08:00", "2026-11-23T15:59:59.999Z")] // same day: no shift
    public void Cn_resume_shifts_the_due_date_by_the_working_days_waited(string pausedAt, string resumedAt, string expected)
    {
        var calculator = Calculator();
        var dueAt = calculator.DueAt(DeadlineProfile.CN, Instant("2026-11-02T10:00:00+08:00"));

        var resumed = calculator.Resume(DeadlineProfile.CN, dueAt, extended: false, Instant(pausedAt), Instant(resumedAt));

        Assert.Equal(Instant(expected), resumed);
    }

    [Fact]
    public void Cn_resume_does_not_count_holidays_spent_waiting()
    {
        var calculator = Calculator(NationalDay2026());
        var dueAt = calculator.DueAt(DeadlineProfile.CN, Instant("2026-09-24T10:00:00+08:00")); // 22 Oct

        // Paused Wed 30 Sep, resumed Thu 8 Oct: of 1–8 Oct only 8 Oct is a working day.
        var resumed = calculator.Resume(
            DeadlineProfile.CN, dueAt, extended: false, Instant("2026-09-30T15:00:00+08:00"), Instant("2026-10-08T09:00:00+08:00"));

        Assert.Equal(new DateOnly(2026, 10, 23), calculator.LocalDate(resumed));
    }

    [Theory]
    [InlineData(false, "2026-04-10T15:59:59.999Z")] // Friday 10 Apr
    [InlineData(true, "2026-06-10T15:59:59.999Z")] // Wednesday 10 Jun
    public void Gdpr_resume_restarts_the_clock_from_the_resume_date(bool extended, string expected)
    {
        var calculator = CalculatorIn("Asia/Shanghai");
        var dueAt = calculator.DueAt(DeadlineProfile.GDPR, Instant("2026-03-01T10:00:00+08:00"), extended);

        // 20:00 UTC on 9 Mar is already 10 Mar in Shanghai.
        var resumed = calculator.Resume(
            DeadlineProfile.GDPR, dueAt, extended, Instant("2026-03-05T10:00:00+08:00"), Instant("2026-03-09T20:00:00Z"));

        Assert.Equal(Instant(expected), resumed);
    }

    [Fact]
    public void Ccpa_resume_shifts_the_due_date_by_the_calendar_days_waited()
    {
        var calculator = CalculatorIn("America/Los_Angeles");
        var dueAt = calculator.DueAt(DeadlineProfile.CCPA, Instant("2026-11-02T09:00:00-08:00")); // 17 Dec

        var resumed = calculator.Resume(
            DeadlineProfile.CCPA, dueAt, extended: false, Instant("2026-11-03T10:00:00-08:00"), Instant("2026-11-08T09:00:00-08:00"));

        Assert.Equal(new DateOnly(2026, 12, 22), calculator.LocalDate(resumed));
        Assert.Equal(Instant("2026-12-23T07:59:59.999Z"), resumed);
    }

    [Fact]
    public void An_unknown_time_zone_is_reported_against_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CalculatorIn("Mars/Olympus_Mons"));

        Assert.Contains("Deadlines:TimeZone", error.Message);
    }

    private static readonly string ShippedCalendars = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "holiday-calendars.json");

    /// <summary>Nothing configured but the calendar file the portal ships.</summary>
    private static DeadlineCalculator Shipped(Action<DeadlineOptions>? configure = null)
    {
        var options = new DeadlineOptions { ResolvedCalendarFile = ShippedCalendars };
        configure?.Invoke(options);
        return Calculator(options);
    }

    [Theory]
    [InlineData("2026-09-18T10:00:00+08:00", "2026-10-15")] // Sun 20 Sep worked, Mid-Autumn 25 Sep and 1–7 Oct off, Sat 10 Oct worked
    [InlineData("2026-10-08T10:00:00+08:00", "2026-10-28")] // Sat 10 Oct is a make-up working day
    [InlineData("2026-02-13T10:00:00+08:00", "2026-03-12")] // Spring Festival 2026: Sat 14 and Sat 28 Feb worked, 16–23 Feb off
    [InlineData("2025-01-24T10:00:00+08:00", "2025-02-20")] // Spring Festival 2025: Sun 26 Jan and Sat 8 Feb worked, 28 Jan–4 Feb off
    [InlineData("2025-09-26T10:00:00+08:00", "2025-10-23")] // National Day 2025: Sun 28 Sep and Sat 11 Oct worked, 1–8 Oct off
    public void Cn_due_dates_follow_the_official_calendar_with_nothing_configured(string receivedAt, string expected)
    {
        Assert.Equal(Date(expected), Shipped().DueDate(DeadlineProfile.CN, Instant(receivedAt)));
    }

    [Theory]
    [InlineData("2026-09-27", false)] // Sunday, Mid-Autumn day off: not a make-up day
    [InlineData("2026-09-20", true)]
    [InlineData("2026-10-10", true)]
    [InlineData("2026-10-05", false)]
    [InlineData("2025-10-11", true)]
    [InlineData("2025-10-08", false)]
    public void The_shipped_cn_calendar_is_the_state_councils(string date, bool working)
    {
        Assert.Equal(working, Shipped().IsWorkingDay(DeadlineProfile.CN, Date(date)));
    }

    [Fact]
    public void A_configured_holiday_adds_to_the_shipped_calendar_and_a_configured_make_up_day_overrides_it()
    {
        var calculator = Shipped(o =>
        {
            o.Holidays = [new DateOnly(2026, 11, 11)];
            o.WorkingWeekends = [new DateOnly(2026, 10, 7)];
        });

        Assert.False(calculator.IsWorkingDay(DeadlineProfile.CN, new DateOnly(2026, 11, 11)));
        Assert.True(calculator.IsWorkingDay(DeadlineProfile.CN, new DateOnly(2026, 10, 7)));
        Assert.False(calculator.IsWorkingDay(DeadlineProfile.CN, new DateOnly(2026, 10, 6)));
    }

    [Fact]
    public void Gdpr_in_a_cn_deployment_counts_neither_chinese_holidays_nor_shanghai_time()
    {
        var calculator = Shipped();

        // One month from Tuesday 1 September is Thursday 1 October: National Day in China, a working day in Brussels.
        Assert.Equal(new DateOnly(2026, 10, 1), calculator.DueDate(DeadlineProfile.GDPR, Instant("2026-09-01T10:00:00+02:00")));
        // 20:00 in Brussels on 31 August is already 1 September in Shanghai; the GDPR clock reads Brussels.
        Assert.Equal(new DateOnly(2026, 9, 30), calculator.DueDate(DeadlineProfile.GDPR, Instant("2026-08-31T20:00:00+02:00")));
        Assert.Equal(Instant("2026-10-01T21:59:59.999Z"), calculator.DueAt(DeadlineProfile.GDPR, Instant("2026-09-01T10:00:00+02:00")));
        Assert.Equal("Asia/Shanghai", calculator.ZoneOf(DeadlineProfile.CN).Id);
        Assert.Equal("America/Los_Angeles", calculator.ZoneOf(DeadlineProfile.CCPA).Id);
    }

    [Fact]
    public void Each_profile_has_its_own_holidays_and_time_zone()
    {
        var calculator = Shipped(o => o.Profiles["gdpr"] = new ProfileCalendarOptions
        {
            TimeZone = "Europe/Dublin",
            Holidays = [new DateOnly(2026, 3, 17)], // St Patrick's Day
        });

        // One month from 17 February is St Patrick's Day in Ireland: Wednesday 18 March.
        Assert.Equal(new DateOnly(2026, 3, 18), calculator.DueDate(DeadlineProfile.GDPR, Instant("2026-02-17T10:00:00Z")));
        Assert.True(calculator.IsWorkingDay(DeadlineProfile.CN, new DateOnly(2026, 3, 17)));
        Assert.True(calculator.IsWorkingDay(DeadlineProfile.CCPA, new DateOnly(2026, 10, 1)));
        Assert.Equal(Instant("2026-03-18T23:59:59.999Z"), calculator.DueAt(DeadlineProfile.GDPR, Instant("2026-02-17T10:00:00Z")));
    }

    [Fact]
    public void Ccpa_acknowledgement_counts_business_days_on_its_own_calendar()
    {
        var calculator = Shipped(o => o.Profiles["CCPA"] = new ProfileCalendarOptions { Holidays = [new DateOnly(2026, 11, 26)] }); // Thanksgiving

        // Receipt Monday 16 November in California; not Shanghai's 17 November.
        Assert.Equal(new DateOnly(2026, 12, 1), calculator.AcknowledgeBy(Instant("2026-11-16T17:00:00-08:00")));
    }

    [Theory]
    [InlineData("2026-10-01T00:00:00Z", "")]
    [InlineData("2026-11-03T00:00:00Z", "CN 2027")] // 60 days ahead is 2 January 2027
    [InlineData("2027-03-01T00:00:00Z", "CN 2027")]
    public void A_calendar_that_does_not_reach_sixty_days_ahead_names_the_year_to_load(string now, string expected)
    {
        var missing = Shipped().MissingCalendarYears(Instant(now));

        Assert.Equal(expected, string.Join(", ", missing.Select(m => $"{m.Profile} {m.Year}")));
    }

    [Fact]
    public void Configured_calendars_are_checked_too_and_a_configured_year_counts_as_loaded()
    {
        var calculator = Shipped(o =>
        {
            o.Holidays = [new DateOnly(2027, 1, 1)];
            o.Profiles["GDPR"] = new ProfileCalendarOptions { Holidays = [new DateOnly(2026, 12, 25)] };
        });

        var missing = calculator.MissingCalendarYears(Instant("2026-12-01T00:00:00Z"));

        Assert.Equal([(DeadlineProfile.GDPR, 2027)], missing);
    }

    [Fact]
    public void Unknown_profiles_time_zones_and_calendar_files_are_refused_in_one_line_each()
    {
        var options = new DeadlineOptions
        {
            ResolvedCalendarFile = "/nowhere/holiday-calendars.json",
            Profiles = { ["GDRP"] = new(), ["CCPA"] = new() { TimeZone = "California/Sunny" } },
        };

        var result = new DeadlineOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Deadlines:Profiles:GDRP is not a deadline profile; use CN, GDPR or CCPA.",
                "Deadlines:Profiles:CCPA:TimeZone 'California/Sunny' is not an IANA time zone such as Europe/Brussels.",
                "Deadlines:CalendarFile: no file at '/nowhere/holiday-calendars.json'.",
            ],
            result.Failures);
        Assert.True(new DeadlineOptionsValidator().Validate(null, new DeadlineOptions { ResolvedCalendarFile = ShippedCalendars }).Succeeded);
    }

    [Fact]
    public void A_calendar_file_with_a_make_up_day_on_a_weekday_is_refused()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dsr-calendar-").FullName, "holiday-calendars.json");
        File.WriteAllText(path, """{ "Calendars": { "CN": { "Years": { "2027": { "WorkingWeekends": [ "2027-02-03" ] } } } } }""");

        var error = Assert.Throws<InvalidOperationException>(() => Shipped(o => o.ResolvedCalendarFile = path));

        Assert.Contains("make-up working day 2027-02-03 is a Wednesday", error.Message);
    }
}
