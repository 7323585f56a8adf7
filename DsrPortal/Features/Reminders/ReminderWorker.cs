using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Reminders;

/// <summary>Every interval: reminds requesters who have not answered an agent's question, and closes what stayed unanswered.</summary>
internal sealed class ReminderWorker(RequesterChase chase, IOptions<ReminderOptions> options, TimeProvider clock, ILogger<ReminderWorker> logger)
    : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.WorkerInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var rules = options.Value;
        var (reminded, closed) = await chase.ChaseAsync(rules.RequesterReminderDays, rules.CloseUnansweredAfterDays, stoppingToken);
        if (reminded + closed > 0)
        {
            logger.LogInformation("Requests waiting on their requester: {Reminded} reminded, {Closed} closed unanswered", reminded, closed);
        }
    }
}
