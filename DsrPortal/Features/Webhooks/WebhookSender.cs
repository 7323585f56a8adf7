using System.Text;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.DataSources;
using DsrPortal.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Webhooks;

/// <summary>
/// Offers pending events to their endpoints. Each delivery is leased with a conditional update before it is
/// sent, so two instances never post the same one at once (on PostgreSQL the batch is first taken with
/// <c>FOR UPDATE SKIP LOCKED</c>, see <see cref="LeasedRows"/>); a refusal or a timeout waits longer each time
/// (doubling from <see cref="WebhookOptions.FirstRetryAfter"/>, at most an hour) until
/// <see cref="WebhookOptions.MaxAttempts"/>, after which it is marked failed and a warning is logged.
/// </summary>
internal sealed class WebhookSender(
    IDbContextFactory<ApplicationDbContext> contexts,
    IHttpClientFactory clients,
    PersonalData data,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "webhooks";
    private const int BatchSize = 20;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <returns>How many deliveries an endpoint took.</returns>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = db.Database.IsNpgsql()
            ? await db.Database.LeaseDueAsync(LeasedTable.WebhookDeliveries, owner, now, now + Lease, BatchSize, cancellationToken)
            : await db.WebhookDeliveries
                .Where(d => d.Status == WebhookStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .OrderBy(d => d.Id)
                .Select(d => d.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var id in due)
        {
            now = clock.GetUtcNow();
            var leaseUntil = now + Lease;
            var leased = await db.WebhookDeliveries
                .Where(d => d.Id == id && d.Status == WebhookStatus.Pending && (d.LeaseOwner == owner || d.LeaseUntil == null || d.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, owner).SetProperty(d => d.LeaseUntil, leaseUntil), cancellationToken);
            if (leased == 1 && await DeliverAsync(db, id, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> DeliverAsync(ApplicationDbContext db, long id, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken);
        var settings = options.CurrentValue;
        var endpoint = settings.Endpoints.FirstOrDefault(e => e.Name == delivery.Endpoint);
        if (endpoint is null)
        {
            await FinishAsync(db, id, WebhookStatus.Failed, delivery.Attempts, "The endpoint is no longer configured.", cancellationToken);
            return false;
        }

        // The person's identifiers are read now, never stored with the event: proven ones only, none once anonymised.
        var keys = await data.KeysAsync(delivery.SubjectId, cancellationToken);
        var body = JsonSerializer.Serialize(new
        {
            id = delivery.Id,
            @event = delivery.Event,
            occurredAt = delivery.OccurredAt,
            subject = new { portalUserId = delivery.SubjectId, phone = keys?.Phone, email = keys?.Email },
            data = JsonSerializer.Deserialize<Dictionary<string, string>>(delivery.Data),
        });

        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(endpoint.Secret!, clock.GetUtcNow(), body));
            request.Headers.Add("X-DsrPortal-Event", delivery.Event);
            request.Headers.Add("X-DsrPortal-Delivery", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = exception.GetType().Name;
        }

        var attempts = delivery.Attempts + 1;
        if (error is null)
        {
            await FinishAsync(db, id, WebhookStatus.Sent, attempts, null, cancellationToken);
            return true;
        }

        if (attempts >= settings.MaxAttempts)
        {
            logger.LogWarning("Webhook delivery {DeliveryId} to {Endpoint} failed {Attempts} times ({Error}); it is given up", id, delivery.Endpoint, attempts, error);
            await FinishAsync(db, id, WebhookStatus.Failed, attempts, error, cancellationToken);
            return false;
        }

        var wait = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, settings.FirstRetryAfter.Ticks * (1L << Math.Min(attempts - 1, 20))));
        logger.LogInformation("Webhook delivery {DeliveryId} to {Endpoint} attempt {Attempt} failed ({Error}); next try in {Wait}", id, delivery.Endpoint, attempts, error, wait);
        var next = clock.GetUtcNow() + wait;
        await db.WebhookDeliveries.Where(d => d.Id == id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        return false;
    }

    /// <summary>
    /// After a receiver's outage longer than the retries: every delivery given up on goes back in line with fresh
    /// attempts, audited. Returns how many.
    /// </summary>
    public async Task<int> ResendFailedAsync(Audit.AuditActor actor, Audit.AuditWriter audit, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await db.WebhookDeliveries.Where(d => d.Status == WebhookStatus.Failed).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, WebhookStatus.Pending)
            .SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (count > 0)
        {
            await audit.AppendAsync(db, actor, Audit.AuditActions.WebhooksResent,
                details: new Dictionary<string, string?> { ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private Task FinishAsync(ApplicationDbContext db, long id, WebhookStatus status, int attempts, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Not cancellable: once an endpoint took it, shutting down must not lead to a second post. Only while the lease is
        // ours: a sender whose lease ran out and went to another instance must not overwrite that one's outcome.
        return db.WebhookDeliveries.Where(d => d.Id == id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.SentAt, status == WebhookStatus.Sent ? now : null)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
    }
}

/// <summary>Offers what the webhook table holds, every poll interval.</summary>
internal sealed class WebhookWorker(WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookWorker> logger)
    : Hosting.PeriodicWorker(logger, clock)
{
    protected override bool Enabled => options.Value.WorkerEnabled && options.Value.Endpoints.Count > 0;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        while (await sender.ProcessBatchAsync(stoppingToken) > 0)
        {
        }
    }
}

internal static class WebhooksExtensions
{
    public static IHostApplicationBuilder AddPortalWebhooks(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<WebhookOptions>(WebhookOptions.SectionName);
        builder.Services.AddHttpClient(WebhookSender.HttpClientName);
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<WebhookWorker>();
        return builder;
    }
}
