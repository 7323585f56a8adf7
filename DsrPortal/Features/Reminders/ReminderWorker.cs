using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Reminders;

/// <summary>Every interval: chases requesters who have not answered, sends staff their daily digest, tells supervisors of requests gone overdue, and reminds system owners of unanswered tasks.</summary>
internal sealed class ReminderWorker(
    RequesterChase chase, StaffDigests digests, ManualTasks.ManualTaskService manualTasks, IOptions<ReminderOptions> options, TimeProvider clock, ILogger<ReminderWorker> logger)
    : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.WorkerInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var rules = options.Value;
        var (reminded, closed) = await chase.ChaseAsync(rules.RequesterReminderDays, rules.CloseUnansweredAfterDays, stoppingToken);
        var digested = await digests.SendDigestsAsync(rules.DigestHour, stoppingToken);
        var overdue = await digests.AlertOverdueAsync(stoppingToken);
        var owners = await manualTasks.RemindAsync(rules.ManualTaskReminderDays, stoppingToken);
        if (reminded + closed + digested + overdue + owners > 0)
        {
            logger.LogInformation("Reminders: {Reminded} requesters reminded, {Closed} closed unanswered, {Digests} staff digests, {Overdue} overdue requests told to supervisors, {Owners} system owners reminded of their tasks",
                reminded, closed, digested, overdue, owners);
        }
    }
}
