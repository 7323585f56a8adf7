using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Notifications;

/// <summary>Sends what the outbox holds, every poll interval.</summary>
internal sealed class OutboxWorker(OutboxSender sender, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxWorker> logger)
    : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        // Keep going while there is a backlog; wait for the next tick once it is drained.
        while (await sender.ProcessBatchAsync(stoppingToken) == options.Value.BatchSize)
        {
        }
    }
}
