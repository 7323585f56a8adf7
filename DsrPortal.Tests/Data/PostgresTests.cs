using System.Net;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Data;

/// <summary>The same portal on a real PostgreSQL server, as a deployment that outgrew one machine runs it.</summary>
public sealed class PostgresTests : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly PostgresCluster cluster;
    private PortalFactory factory = null!;
    private string serviceDatabase = "";

    public PostgresTests(PostgresCluster cluster) => this.cluster = cluster;

    public async Task InitializeAsync()
    {
        var connectionString = await cluster.CreateDatabaseAsync($"portal_{Guid.NewGuid():N}");
        // The demo service database on PostgreSQL too: the SQL connector serves both providers.
        serviceDatabase = await cluster.CreateDatabaseAsync($"service_{Guid.NewGuid():N}");
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = connectionString,
            ["DataSources:Sql:0:Provider"] = "Postgres",
            ["DataSources:Sql:0:ConnectionString"] = serviceDatabase,
            ["Fulfilment:CoolingOffDays"] = "0",
        });
        _ = factory.Server;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_portal_migrates_seeds_and_reports_ready_on_PostgreSQL()
    {
        await using var db = factory.CreateDbContext();
        Assert.IsType<PostgresApplicationDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(5, await db.Users.CountAsync(u => u.Email!.EndsWith("@demo.local")));

        var ready = await factory.CreateBrowserLikeClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Two_agents_claiming_at_once_leave_one_owner_and_tell_the_other_who_won()
    {
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await factory.ActorAsync("subject@demo.local");
        var agent = await factory.ActorAsync("agent@demo.local");
        var supervisor = await factory.ActorAsync("supervisor@demo.local");
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id);
        }

        // PostgreSQL runs both transactions side by side (SQLite's immediate transactions would queue them):
        // the loser's update misses the version it read, and the retry then meets the winner's claim.
        foreach (var id in ids)
        {
            var results = await Task.WhenAll(
                Task.Run(() => workflow.ClaimAsync(id, agent)),
                Task.Run(() => workflow.ClaimAsync(id, supervisor)));
            Assert.Single(results, r => r.Succeeded);
            var lost = Assert.Single(results, r => !r.Succeeded).Error!;
            Assert.Equal(WorkflowErrorKind.Rule, lost.Kind);
            Assert.Equal("Another agent has already claimed this request.", lost.Key);
        }

        await using var db = factory.CreateDbContext();
        foreach (var id in ids)
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == DsrPortal.Features.Audit.AuditActions.RequestClaimed));
        }

        Assert.True((await factory.Services.GetRequiredService<DsrPortal.Features.Audit.AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task Export_and_log_off_act_on_a_PostgreSQL_service_database()
    {
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var runner = factory.Services.GetRequiredService<FulfilmentRunner>();
        var subject = await factory.ActorAsync("subject@demo.local");
        var agent = await factory.ActorAsync("agent@demo.local");
        var serviceId = Convert.ToInt64(await ScalarAsync("SELECT id FROM users WHERE phone = '13800000001'"));
        var neighbourId = Convert.ToInt64(await ScalarAsync("SELECT id FROM users WHERE phone = '13800000002'"));
        async Task<long> CountAsync(string table, long id) => Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE user_id = {id}"));
        var reading = await CountAsync("reading_records", serviceId);
        var neighbourReading = await CountAsync("reading_records", neighbourId);

        var holdings = await factory.Services.GetRequiredService<PersonalData>().DescribeAsync(subject.UserId, CancellationToken.None);
        Assert.Equal(reading, holdings.Single(h => h.Category.Code == "ReadingRecords").Count);

        var export = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        await workflow.ClaimAsync(export.Id, agent);
        await workflow.ApproveAsync(export.Id, agent, null);
        Assert.Equal(1, await runner.RunDueAsync());
        var package = Assert.Single(Directory.GetFiles(Path.Combine(factory.Folder, "exports")));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var rows = System.Text.Json.JsonDocument.Parse(zip.GetEntry("data/ReadingRecords.json")!.Open()).RootElement.GetArrayLength();
            Assert.Equal(reading, rows);
        }

        var logOff = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.WholeAccount,
        }, subject, "session")).Request!;
        await workflow.ClaimAsync(logOff.Id, agent);
        await workflow.ApproveAsync(logOff.Id, agent, null);
        Assert.Equal(1, await runner.RunDueAsync());

        Assert.Equal(0, await CountAsync("reading_records", serviceId));
        Assert.Equal(neighbourReading, await CountAsync("reading_records", neighbourId));
        Assert.Equal(0L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM users WHERE phone = '13800000001'")));
        Assert.StartsWith("psn-", (string)(await ScalarAsync($"SELECT device_identifier FROM devices WHERE user_id = {serviceId} LIMIT 1"))!);
        await using var db = factory.CreateDbContext();
        Assert.Equal(RequestStatus.CompletedWithExceptions, (await db.Requests.SingleAsync(r => r.Id == logOff.Id)).Status);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(serviceDatabase);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Registration_on_PostgreSQL_stores_the_account_encrypted_with_a_shared_key_ring()
    {
        var client = factory.CreateBrowserLikeClient();

        var response = await client.PostFormAsync("/Account/Register", PortalForms.Registration("pg.user@example.com"), "register");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == "pg.user@example.com");
        Assert.Equal("13912345678", factory.Services.GetRequiredService<PhoneNumberProtector>().Unprotect(user.ProtectedPhoneNumber));
        Assert.Equal(1, await db.ConsentRecords.CountAsync(c => c.UserId == user.Id));
        // Keys live in the database, so a second instance can read what this one encrypted.
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_database_is_unreachable()
    {
        await using var broken = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = cluster.ConnectionString("no_such_database"),
            ["Database:MigrateOnStartup"] = "false",
            ["DemoData:Enabled"] = "false",
        });

        var ready = await broken.CreateBrowserLikeClient().GetAsync("/health/ready");
        var live = await broken.CreateBrowserLikeClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
