using System.Net;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Data;

/// <summary>The same portal on a real PostgreSQL server, as a deployment that outgrew one machine runs it.</summary>
public sealed class PostgresTests : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly PostgresCluster cluster;
    private PortalFactory factory = null!;

    public PostgresTests(PostgresCluster cluster) => this.cluster = cluster;

    public async Task InitializeAsync()
    {
        var connectionString = await cluster.CreateDatabaseAsync($"portal_{Guid.NewGuid():N}");
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = connectionString,
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
