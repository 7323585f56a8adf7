using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Settings;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Tests.Data;

/// <summary>
/// Two portal instances on one PostgreSQL database: a request changed on one reaches the other's open pages (through
/// LISTEN/NOTIFY), a setting a supervisor saves on one is in force on the other, without a restart, and an export
/// built on one is downloaded through the other.
/// </summary>
public sealed class ClusterSignalTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private PortalFactory first = null!;
    private PortalFactory second = null!;
    private WebhookListener hooks = null!;

    public async Task InitializeAsync()
    {
        // Packages where both instances read them, in small rows so one package spans several.
        var settings = await cluster.SharedPortalSettingsAsync();
        settings["Fulfilment:ExportChunkKilobytes"] = "16";
        // Both instances' email and webhook senders poll the same tables, often.
        hooks = await WebhookListener.StartAsync();
        settings["Outbox:PollInterval"] = "00:00:00.200";
        settings["Webhooks:PollInterval"] = "00:00:00.200";
        settings["Webhooks:Endpoints:0:Name"] = "recommendations";
        settings["Webhooks:Endpoints:0:Url"] = hooks.Url;
        settings["Webhooks:Endpoints:0:Secret"] = WebhookListener.Secret;
        Dictionary<string, string?> Settings() => new(settings);
        first = new PortalFactory(Settings());
        _ = first.Server;
        // The second instance starts on the database the first migrated and seeded.
        second = new PortalFactory(Settings());
        _ = second.Server;
    }

    [Fact]
    public async Task Ten_thousand_claims_and_every_email_and_webhook_spread_over_both_instances_happen_exactly_once()
    {
        // 500 requests, each with its receipt email, and 60 choices, each told by webhook, made half on each instance;
        // both instances' senders drain the same outbox and webhook tables while the claims run.
        var subject = await first.ActorAsync("subject@demo.local");
        var requests = new List<Guid>();
        for (var i = 0; i < 500; i++)
        {
            var instance = i % 2 == 0 ? first : second;
            requests.Add((await instance.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "session")).Request!.Id);
        }

        string[] purposes = ["PersonalisedRecommendations", "Advertising", "CrowdPortraits"];
        for (var i = 0; i < 60; i++)
        {
            var instance = i % 2 == 0 ? first : second;
            Assert.NotNull(await instance.Services.GetRequiredService<DsrPortal.Features.Preferences.ProcessingChoices>().SetAsync(subject.UserId, purposes[i % 3],
                i / 3 % 2 == 0 ? DsrPortal.Features.Preferences.ProcessingDecision.Refused : DsrPortal.Features.Preferences.ProcessingDecision.Allowed,
                DsrPortal.Features.Policies.ConsentChannel.Api, subject.ForAudit));
        }

        var agents = new List<RequestActor>();
        for (var i = 0; i < 20; i++)
        {
            agents.Add(await first.CreateStaffAsync($"claimer{i}@demo.local"));
        }

        // Every agent claims every request at once: even agents through the first instance, odd ones through the second.
        var attempts = requests.SelectMany(id => agents.Select((agent, n) => (id, agent, Instance: n % 2 == 0 ? first : second))).ToList();
        Assert.Equal(10_000, attempts.Count);
        var winners = new System.Collections.Concurrent.ConcurrentBag<(Guid Request, string Agent)>();
        await Parallel.ForEachAsync(attempts.OrderBy(_ => Random.Shared.Next()), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (attempt, token) =>
        {
            var result = await attempt.Instance.Services.GetRequiredService<RequestWorkflow>().ClaimAsync(attempt.id, attempt.agent, token);
            if (result.Succeeded)
            {
                winners.Add((attempt.id, attempt.agent.UserId));
            }
        });

        Assert.Equal(requests.Count, winners.Count);
        Assert.Equal(requests.Order(), winners.Select(w => w.Request).Order());
        await using var db = first.CreateDbContext();
        var owners = await db.Requests.Where(r => requests.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.AssigneeId);
        Assert.All(winners, w => Assert.Equal(w.Agent, owners[w.Request]));
        Assert.Equal(requests.Count, await db.AuditEvents.CountAsync(e => requests.Contains(e.RequestId!.Value) && e.Action == DsrPortal.Features.Audit.AuditActions.RequestClaimed));

        // Every email (the receipts, the claims' "in progress") sent once, by one instance or the other, and both took a share.
        Assert.Equal(requests.Count, await db.OutboxMessages.CountAsync(m => m.Template == "request-received" && requests.Contains(m.RequestId!.Value)));
        await Eventually.TrueAsync(() => !db.OutboxMessages.Any(m => m.Status != DsrPortal.Features.Notifications.OutboxStatus.Sent), "every email to be sent",
            TimeSpan.FromSeconds(60));
        Assert.All(await db.OutboxMessages.ToListAsync(), m => Assert.Equal(1, m.Attempts));
        int Mails(PortalFactory instance) => Directory.Exists(instance.PickupFolder) ? Directory.GetFiles(instance.PickupFolder).Length : 0;
        Assert.Equal(await db.OutboxMessages.CountAsync(), Mails(first) + Mails(second));
        Assert.True(Mails(first) > 0 && Mails(second) > 0, $"both instances send: {Mails(first)} and {Mails(second)}");

        // Every webhook event posted once.
        var deliveries = await db.WebhookDeliveries.Select(d => d.Id).ToListAsync();
        Assert.Equal(60, deliveries.Count);
        await Eventually.TrueAsync(() => hooks.Posts.Count >= deliveries.Count && !db.WebhookDeliveries.Any(d => d.Status != DsrPortal.Features.Webhooks.WebhookStatus.Sent),
            "every webhook event to be taken", TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        Assert.Equal(deliveries.Order(), hooks.Posts.Select(p => p.Json.GetProperty("id").GetInt64()).Order());
    }

    [Fact]
    public async Task An_export_built_on_one_instance_downloads_whole_from_the_other_and_goes_from_the_database_when_it_expires()
    {
        var workflow = first.Services.GetRequiredService<RequestWorkflow>();
        var subject = await first.ActorAsync("subject@demo.local");
        var agent = await first.ActorAsync("agent@demo.local");
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        Assert.Equal(1, await first.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync());

        Guid job;
        long size;
        await using (var db = first.CreateDbContext())
        {
            (job, size) = await db.FulfilmentJobs.Where(j => j.RequestId == request.Id).Select(j => new ValueTuple<Guid, long>(j.Id, j.FileSize!.Value)).SingleAsync();
            Assert.True(await db.ExportChunks.CountAsync(c => c.JobId == job) > 1);
        }

        // Nothing on the first instance's disk: the second reads the package from the database.
        Assert.False(File.Exists(first.Services.GetRequiredService<DsrPortal.Features.Export.ExportFulfilment>().PackagePath(job)));
        var web = await second.SignedInClientAsync("subject@demo.local");
        var bytes = await web.GetByteArrayAsync($"/requests/{request.Id}/export");
        Assert.Equal(size, bytes.LongLength);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
        {
            Assert.NotNull(zip.GetEntry("manifest.json"));
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("media/Photos/", StringComparison.Ordinal));
        }

        // At the end of the download period the rows go, and the package answers as expired.
        await using (var db = first.CreateDbContext())
        {
            await db.FulfilmentJobs.Where(j => j.Id == job).ExecuteUpdateAsync(s => s.SetProperty(j => j.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        await second.Services.GetRequiredService<FulfilmentRunner>().PurgeExpiredExportsAsync();
        await using (var db = second.CreateDbContext())
        {
            Assert.Equal(0, await db.ExportChunks.CountAsync(c => c.JobId == job));
        }

        Assert.NotEqual(System.Net.HttpStatusCode.OK, (await web.GetAsync($"/requests/{request.Id}/export")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
        await hooks.DisposeAsync();
    }

    [Fact]
    public async Task A_claim_on_one_instance_reaches_the_others_pages_and_a_setting_saved_on_one_is_in_force_on_the_other()
    {
        var heard = new System.Collections.Concurrent.ConcurrentQueue<RequestChange>();
        second.Services.GetRequiredService<RequestChangeNotifier>().Changed += change =>
        {
            heard.Enqueue(change);
            return Task.CompletedTask;
        };

        var workflow = first.Services.GetRequiredService<RequestWorkflow>();
        var subject = await first.ActorAsync("subject@demo.local");
        var agent = await first.ActorAsync("agent@demo.local");
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        await Eventually.TrueAsync(() => heard.Any(c => c.RequestId == request.Id), "the second instance to hear of the new request");
        heard.Clear();
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        await Eventually.TrueAsync(() => heard.Any(c => c.RequestId == request.Id), "the second instance to hear of the claim");
        Assert.All(heard, c => Assert.True(c.FromAnotherInstance));

        // Nothing echoes back: the first instance hears its own change once, from itself.
        var own = 0;
        first.Services.GetRequiredService<RequestChangeNotifier>().Changed += change =>
        {
            if (change.RequestId == request.Id)
            {
                Interlocked.Increment(ref own);
            }

            return Task.CompletedTask;
        };
        Assert.True((await workflow.ExtendAsync(request.Id, "We need more time to gather the data from the archive.", agent, null)).Succeeded);
        await Eventually.TrueAsync(() => Volatile.Read(ref own) >= 1, "the first instance's own page update");
        await Task.Delay(500);
        Assert.Equal(1, Volatile.Read(ref own));

        var options = second.Services.GetRequiredService<IOptionsMonitor<FulfilmentOptions>>();
        var before = options.CurrentValue.ExportLinkDays;
        var supervisor = await first.ActorAsync("supervisor@demo.local");
        await first.Services.GetRequiredService<SettingsStore>().SaveAsync(
            new Dictionary<string, string> { ["Fulfilment:ExportLinkDays"] = (before + 3).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            supervisor.ForAudit);
        await Eventually.TrueAsync(() => options.CurrentValue.ExportLinkDays == before + 3, "the second instance to apply the first one's setting");
    }
}
