using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Retention;

/// <summary>Runs the purge once a day; it is idempotent, so a restart or a second instance does no harm.</summary>
internal sealed class RetentionWorker(RetentionPurger purger, IOptions<RetentionOptions> options, ILogger<RetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try
            {
                var result = await purger.PurgeAsync(stoppingToken);
                logger.LogInformation("Retention: {Requests} requests purged; audit trail kept from event {Through}", result.Requests, result.AuditEventsThrough + 1);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The retention purge failed; it will try again at the next interval.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
