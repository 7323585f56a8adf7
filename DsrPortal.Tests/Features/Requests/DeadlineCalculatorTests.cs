using System.Globalization;
using DsrPortal.Features.Requests.Deadlines;

namespace DsrPortal.Tests.Features.Requests;

public sealed class DeadlineCalculatorTests
{
    // China's 2026 National Day golden week: 1–7 October off, made up on Sun 27 Sep and Sat 10 Oct.
    private static DeadlineOptions NationalDay2026() => new()
    {
        Holidays = [.. Enumerable.Range(1, 7).Select(day => new DateOnly(2026, 10, day))],
        WorkingWeekends = [new DateOnly(2026, 9, 27), new DateOnly(2026, 10, 10)],
    };

    private static DeadlineCalculator Calculator(DeadlineOptions? options = null) =>
        new(global::Microsoft.Extensions.Options.Options.Create(options ?? new DeadlineOptions()));

    private static DeadlineCalculator CalculatorIn(string timeZone) => Calculator(new DeadlineOptions { TimeZone = timeZone });

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

        // Fri 25 Sep: 27 Sep(1) 28(2) 29(3) 30(4) | 1–7 Oct off | 8 Oct(5) 9(6) Sat 10(7) 12(8) 13(9) 14(10) 15(11) 16(12) 19(13) 20(14) 21(15).
        Assert.Equal(new DateOnly(2026, 10, 21), calculator.DueDate(DeadlineProfile.CN, Instant("2026-09-25T10:00:00+08:00")));
    }

    [Theory]
    [InlineData("2026-10-01", false)] // Thursday, National Day holiday
    [InlineData("2026-10-07", false)] // Wednesday, last day of the holiday week
    [InlineData("2026-10-10", true)] // Saturday, make-up working day
    [InlineData("2026-09-27", true)] // Sunday, make-up working day
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
        var dueAt = calculator.DueAt(DeadlineProfile.CN, Instant("2026-09-25T10:00:00+08:00")); // 21 Oct

        // Paused Wed 30 Sep, resumed Thu 8 Oct: of 1–8 Oct only 8 Oct is a working day.
        var resumed = calculator.Resume(
            DeadlineProfile.CN, dueAt, extended: false, Instant("2026-09-30T15:00:00+08:00"), Instant("2026-10-08T09:00:00+08:00"));

        Assert.Equal(new DateOnly(2026, 10, 22), calculator.LocalDate(resumed));
    }

    [Theory]
    [InlineData(false, "2026-04-10T15:59:59.999Z")] // Friday 10 Apr
    [InlineData(true, "2026-06-10T15:59:59.999Z")] // Wednesday 10 Jun
    public void Gdpr_resume_restarts_the_clock_from_the_resume_date(bool extended, string expected)
    {
        var calculator = Calculator();
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
}
