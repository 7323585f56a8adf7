using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Retention;

/// <summary>Runs the purge once a day; it is idempotent, so a restart or a second instance does no harm.</summary>
internal sealed class RetentionWorker(RetentionPurger purger, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionWorker> logger)
    : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var result = await purger.PurgeAsync(stoppingToken);
        logger.LogInformation("Retention: {Requests} requests purged; audit trail kept from event {Through}", result.Requests, result.AuditEventsThrough + 1);
    }
}
