using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Verification;

/// <summary>Every interval: reminds requesters who have not confirmed who they are, closes what stayed unconfirmed, and drops spent codes.</summary>
internal sealed class VerificationWorker(IdentityConfirmations confirmations, OneTimeCodes codes, IOptions<VerificationOptions> options, TimeProvider clock,
    ILogger<VerificationWorker> logger) : PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.WorkerInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var rules = options.Value;
        var (reminded, closed) = await confirmations.ChaseUnverifiedAsync(rules.ReminderDays, rules.CloseUnverifiedAfterDays, stoppingToken);
        var purged = await codes.PurgeExpiredAsync(stoppingToken);
        if (reminded + closed + purged > 0)
        {
            logger.LogInformation("Verification: {Reminded} reminded, {Closed} closed unverified, {Purged} spent codes purged", reminded, closed, purged);
        }
    }
}
