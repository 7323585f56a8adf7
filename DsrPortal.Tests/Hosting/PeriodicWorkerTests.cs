using DsrPortal.Hosting;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Hosting;

public sealed class PeriodicWorkerTests
{
    [Fact]
    public async Task A_worker_runs_once_at_start_then_once_each_time_the_portals_clock_passes_the_interval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
        using var worker = new CountingWorker(clock);

        await worker.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => worker.Rounds == 1, "the first round");
        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Yield();
        var beforeTheHour = worker.Rounds;
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => worker.Rounds == 2, "the round an hour later");
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, beforeTheHour);
    }

    private sealed class CountingWorker(TimeProvider clock) : PeriodicWorker(NullLogger.Instance, clock)
    {
        private int rounds;

        public int Rounds => Volatile.Read(ref rounds);

        protected override bool Enabled => true;

        protected override TimeSpan Interval => TimeSpan.FromHours(1);

        protected override Task RunRoundAsync(CancellationToken stoppingToken)
        {
            Interlocked.Increment(ref rounds);
            return Task.CompletedTask;
        }
    }
}
