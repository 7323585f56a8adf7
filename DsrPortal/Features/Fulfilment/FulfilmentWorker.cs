using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>Every poll interval: runs due exports and deletions, escalates disputes near their deadline, and moves an end-of-service program on.</summary>
internal sealed class FulfilmentWorker(FulfilmentRunner runner, Disputes.DisputeWorkflow disputes, ServiceEnd.ServiceEndRunner serviceEnd, IOptions<FulfilmentOptions> options, TimeProvider clock, ILogger<FulfilmentWorker> logger)
    : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        await runner.RunDueAsync(stoppingToken);
        await disputes.EscalateDisputesNearDeadlineAsync(stoppingToken);
        await serviceEnd.RunAsync(TimeSpan.FromSeconds(20), stoppingToken);
    }
}
