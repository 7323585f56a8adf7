using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Notifications;

/// <summary>Polls the outbox; the rows, not this loop, are the source of truth, so a restart loses nothing.</summary>
internal sealed class OutboxWorker(OutboxSender sender, IOptions<OutboxOptions> options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try
            {
                // Keep going while there is a backlog; wait for the next tick once it is drained.
                while (await sender.ProcessBatchAsync(stoppingToken) == options.Value.BatchSize)
                {
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The outbox worker failed a round; it will try again.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
