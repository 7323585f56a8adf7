using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>Runs due exports and deletions and purges expired exports, every poll interval.</summary>
internal sealed class FulfilmentWorker(FulfilmentRunner runner, IOptions<FulfilmentOptions> options, ILogger<FulfilmentWorker> logger) : PeriodicWorker(logger)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task RunRoundAsync(CancellationToken stoppingToken) => runner.RunDueAsync(stoppingToken);
}
