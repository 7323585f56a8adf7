using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>
/// A request waits for its requester, gets its time back, and is then extended: the extended due date
/// follows the profile's own counting, never a calendar span laid over a working-day date.
/// </summary>
public sealed class ExtensionAfterPauseTests
{
    [Fact]
    public async Task Cn_extension_after_a_pause_gives_back_the_working_days_waited_across_national_day()
    {
        // Received Friday 18 September 2026 in Shanghai; the requester answers on Wednesday 23 September.
        var due = await ExtendAfterPauseAsync([], "2026-09-18T10:00:00+08:00", "2026-09-23T10:00:00+08:00", "Asia/Shanghai");

        // 15 working days on the official calendar: 15 October. Waited: Sun 20 (make-up day), 21, 22, 23 September.
        Assert.Equal(new DateOnly(2026, 10, 15), due.Original);
        Assert.Equal(new DateOnly(2026, 10, 21), due.Resumed);
        // 30 days after receipt is Sunday 18 October -> Monday 19 October, then the four working days: Friday 23 October.
        Assert.Equal(new DateOnly(2026, 10, 23), due.Extended);
    }

    [Fact]
    public async Task Cn_extension_after_a_pause_never_lands_on_a_weekend()
    {
        // Received Monday 2 November 2026; the requester answers on Thursday 5 November (three working days).
        var due = await ExtendAfterPauseAsync([], "2026-11-02T10:00:00+08:00", "2026-11-05T10:00:00+08:00", "Asia/Shanghai");

        Assert.Equal(new DateOnly(2026, 11, 26), due.Resumed);
        // Wednesday 2 December plus three working days: Monday 7 December, not Saturday 5 December.
        Assert.Equal(new DateOnly(2026, 12, 7), due.Extended);
    }

    [Fact]
    public async Task Gdpr_extension_after_the_clock_restarted_is_three_months_from_the_restart_moved_off_a_holiday()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Deadlines:Profile"] = "GDPR",
            ["Deadlines:Profiles:GDPR:Holidays:0"] = "2026-05-25", // Whit Monday
        };

        // Received Monday 2 February 2026 in Brussels; the identity proof asked for arrives on Wednesday 25 February.
        var due = await ExtendAfterPauseAsync(settings, "2026-02-02T10:00:00+01:00", "2026-02-25T10:00:00+01:00", "Europe/Brussels");

        Assert.Equal(new DateOnly(2026, 3, 2), due.Original);
        Assert.Equal(new DateOnly(2026, 3, 25), due.Resumed);
        // Three months from 25 February is Whit Monday 25 May: Tuesday 26 May.
        Assert.Equal(new DateOnly(2026, 5, 26), due.Extended);
    }

    [Fact]
    public async Task Ccpa_extension_after_a_pause_adds_the_days_waited_to_ninety_days_across_the_end_of_summer_time()
    {
        var settings = new Dictionary<string, string?> { ["Deadlines:Profile"] = "CCPA" };

        // Received Tuesday 1 September 2026 in California; 28 days waited (2 to 30 September).
        var due = await ExtendAfterPauseAsync(settings, "2026-09-01T09:00:00-07:00", "2026-09-30T09:00:00-07:00", "America/Los_Angeles",
            askedAt: "2026-09-02T09:00:00-07:00");

        Assert.Equal(new DateOnly(2026, 10, 16), due.Original);
        Assert.Equal(new DateOnly(2026, 11, 13), due.Resumed);
        // 90 days after receipt (30 November) plus the 28 days: 28 December, at the end of that day in California.
        Assert.Equal(new DateOnly(2026, 12, 28), due.Extended);
        Assert.Equal(new DateTimeOffset(2026, 12, 29, 7, 59, 59, 999, TimeSpan.Zero), due.ExtendedAt);
    }

    private sealed record Dates(DateOnly Original, DateOnly Resumed, DateOnly Extended, DateTimeOffset ExtendedAt);

    private static async Task<Dates> ExtendAfterPauseAsync(
        Dictionary<string, string?> settings, string receivedAt, string answeredAt, string zone, string? askedAt = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(receivedAt, System.Globalization.CultureInfo.InvariantCulture));
        settings["Outbox:WorkerEnabled"] = "false";
        await using var factory = new PortalFactory(settings, clock);
        _ = factory.Server;
        var subject = await factory.ActorAsync("subject@demo.local");
        var agent = await factory.ActorAsync("agent@demo.local");
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();

        var request = Assert.IsType<DataSubjectRequest>((await workflow.SubmitAsync(subject.Export(), subject, "Signed-in session")).Request);
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        if (askedAt is not null)
        {
            clock.SetUtcNow(DateTimeOffset.Parse(askedAt, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.True((await workflow.AskRequesterAsync(request.Id, "Please send the proof we need.", agent, (await ReloadAsync(factory, request.Id)).Version)).Succeeded);
        clock.SetUtcNow(DateTimeOffset.Parse(answeredAt, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((await workflow.PostMessageAsync(request.Id, "Here it is.", subject)).Succeeded);
        var resumed = await ReloadAsync(factory, request.Id);
        Assert.Equal(RequestStatus.InProgress, resumed.Status);

        Assert.True((await workflow.ExtendAsync(request.Id, "Records must come from an archive.", agent, resumed.Version)).Succeeded);
        var extended = await ReloadAsync(factory, request.Id);

        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
        DateOnly Local(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, timeZone).DateTime);
        return new Dates(Local(extended.OriginalDueAt), Local(resumed.DueAt), Local(extended.DueAt), extended.DueAt);
    }

    private static async Task<DataSubjectRequest> ReloadAsync(PortalFactory factory, Guid id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
