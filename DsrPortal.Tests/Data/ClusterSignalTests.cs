using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Settings;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace DsrPortal.Tests.Data;

/// <summary>
/// Two portal instances on one PostgreSQL database: a request changed on one reaches the other's open pages (through
/// LISTEN/NOTIFY), and a setting a supervisor saves on one is in force on the other, without a restart.
/// </summary>
public sealed class ClusterSignalTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private PortalFactory first = null!;
    private PortalFactory second = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await cluster.CreateDatabaseAsync($"portal_{Guid.NewGuid():N}");
        var service = await cluster.CreateDatabaseAsync($"service_{Guid.NewGuid():N}");
        Dictionary<string, string?> Settings() => new()
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = connectionString,
            ["DataSources:Sql:0:Provider"] = "Postgres",
            ["DataSources:Sql:0:ConnectionString"] = service,
        };
        first = new PortalFactory(Settings());
        _ = first.Server;
        // The second instance starts on the database the first migrated and seeded.
        second = new PortalFactory(Settings());
        _ = second.Server;
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
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
