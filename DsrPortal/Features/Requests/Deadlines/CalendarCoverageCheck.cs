using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>Degraded, not unhealthy, while a holiday calendar does not reach 60 days ahead.</summary>
internal sealed class CalendarCoverageCheck(DeadlineCalculator deadlines, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = deadlines.MissingCalendarYears(clock.GetUtcNow());
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy("The holiday calendars cover the next 60 days.")
            : HealthCheckResult.Degraded(
                "Holiday calendar missing for " + string.Join(", ", missing.Select(m => $"{m.Profile} {m.Year}"))
                + ": add it to Deadlines:CalendarFile (README, Holiday calendars)."));
    }
}
