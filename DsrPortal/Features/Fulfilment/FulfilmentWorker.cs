using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>Every poll interval: runs due exports and deletions, purges expired exports, and escalates disputes near their deadline.</summary>
internal sealed class FulfilmentWorker(FulfilmentRunner runner, Disputes.DisputeWorkflow disputes, IOptions<FulfilmentOptions> options, TimeProvider clock, ILogger<FulfilmentWorker> logger)
    : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        await runner.RunDueAsync(stoppingToken);
        await disputes.EscalateDisputesNearDeadlineAsync(stoppingToken);
    }
}
