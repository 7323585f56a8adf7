namespace DsrPortal.Hosting;

/// <summary>
/// A background loop over durable rows: one round at start, then one per interval; a failed round is
/// logged and the next one tries again. The rows, not the loop, hold the work, so a restart loses nothing.
/// The interval runs on the portal's clock, so a test that moves its clock moves the loop too.
/// </summary>
internal abstract class PeriodicWorker(ILogger logger, TimeProvider clock) : BackgroundService
{
    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunRoundAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "{Worker} failed a round; it will try again at the next interval.", GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
