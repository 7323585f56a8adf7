using System.Net;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>Before the next year's official calendar is loaded, operators and supervisors are told, and readiness stays up.</summary>
public sealed class DeadlineCalendarHealthTests
{
    [Fact]
    public async Task Sixty_days_before_an_unloaded_year_readiness_is_degraded_but_200_and_the_dashboard_names_the_year()
    {
        // Thursday 3 December 2026: 60 days ahead is February 2027, and the shipped calendar ends with 2026.
        await using var factory = new PortalFactory(clock: new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero)));

        var ready = await factory.CreateBrowserLikeClient().GetAsync("/health/ready");
        var reports = await (await factory.SignedInClientAsync("supervisor@demo.local")).GetStringAsync("/reports");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"calendar-warning\"", reports);
        Assert.Contains("The CN holiday calendar has no dates for 2027", reports);
        Assert.Contains("Holiday calendars", reports);
    }

    [Fact]
    public async Task A_loaded_year_keeps_readiness_healthy_and_the_dashboard_quiet()
    {
        await using var factory = new PortalFactory(clock: new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero)));

        var ready = await factory.CreateBrowserLikeClient().GetAsync("/health/ready");
        var reports = await (await factory.SignedInClientAsync("supervisor@demo.local")).GetStringAsync("/reports");

        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.DoesNotContain("calendar-warning", reports);
    }

    [Fact]
    public async Task Adding_next_year_to_the_settings_silences_the_warning()
    {
        await using var factory = new PortalFactory(
            new Dictionary<string, string?> { ["Deadlines:Holidays:0"] = "2027-01-01" },
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero)));

        var ready = await factory.CreateBrowserLikeClient().GetAsync("/health/ready");

        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}
