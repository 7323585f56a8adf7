using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Audit;

/// <summary>The trail on a real database, tampered with the way an insider with SQL access would.</summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        // A few more events than the demo's three registrations and guardian link, so there is a middle to tamper with.
        await using var db = factory.CreateDbContext();
        var writer = factory.Services.GetRequiredService<AuditWriter>();
        for (var i = 0; i < 4; i++)
        {
            await writer.AppendAsync(db, AuditActor.System, AuditActions.RequestStatusChanged, Guid.NewGuid(),
                details: new Dictionary<string, string?> { ["to"] = "Open", ["step"] = i.ToString() });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var db = factory.CreateDbContext();
        return await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db);
    }

    private async Task SqlAsync(string sql)
    {
        await using var db = factory.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_fresh_trail_verifies()
    {
        var result = await VerifyAsync();

        Assert.True(result.Intact, result.ToString());
        Assert.Equal("OK 8 events", result.ToString());
    }

    [Fact]
    public async Task Changing_a_detail_breaks_the_chain_at_that_event()
    {
        await SqlAsync("UPDATE AuditEvents SET Details = '{\"to\":\"Refused\"}' WHERE Sequence = 5");

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(5, result.BrokenAt);
        Assert.Contains("changed", result.Problem);
    }

    [Fact]
    public async Task Changing_the_actor_and_recomputing_that_hash_still_breaks_the_next_link()
    {
        await using (var db = factory.CreateDbContext())
        {
            var e = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 4);
            var forged = AuditHasher.Compute(e.PreviousHash, e.Sequence, e.OccurredAt, "someone-else", e.ActorRole, e.Action, e.RequestId, e.SubjectPseudonym, e.Details);
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEvents SET ActorId = 'someone-else', Hash = {forged} WHERE Sequence = 4");
        }

        var result = await VerifyAsync();

        Assert.Equal(5, result.BrokenAt);
    }

    [Fact]
    public async Task Deleting_a_middle_event_is_named()
    {
        await SqlAsync("DELETE FROM AuditEvents WHERE Sequence = 3");

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("missing", result.Problem);
    }

    [Fact]
    public async Task Deleting_the_last_event_is_noticed()
    {
        await SqlAsync("DELETE FROM AuditEvents WHERE Sequence = 7");

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(7, result.BrokenAt);
    }

    [Fact]
    public async Task Reordering_two_events_is_named()
    {
        await SqlAsync("UPDATE AuditEvents SET Sequence = -1 WHERE Sequence = 5; UPDATE AuditEvents SET Sequence = 5 WHERE Sequence = 6; UPDATE AuditEvents SET Sequence = 6 WHERE Sequence = -1;");

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(5, result.BrokenAt);
    }

    [Fact]
    public async Task Two_writers_cannot_fork_the_chain()
    {
        var writer = factory.Services.GetRequiredService<AuditWriter>();
        await using var first = factory.CreateDbContext();
        await using var second = factory.CreateDbContext();
        await writer.AppendAsync(first, AuditActor.System, AuditActions.RequestStatusChanged);
        await writer.AppendAsync(second, AuditActor.System, AuditActions.RequestStatusChanged);

        await first.SaveChangesAsync();
        // Either the head's concurrency token or the sequence's key refuses the second: never two event 9s.
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => second.SaveChangesAsync());

        Assert.Equal("OK 9 events", (await VerifyAsync()).ToString());
    }

    [Fact]
    public async Task Audit_rows_hold_no_personal_data_of_a_registered_subject()
    {
        var client = factory.CreateBrowserLikeClient();
        await client.PostFormAsync("/Account/Register", PortalForms.Registration("private.person@example.com"), "register");

        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == "private.person@example.com");
        var registered = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.AccountRegistered && e.ActorId == user.Id);
        var everything = string.Join("|", (await db.AuditEvents.ToListAsync()).Select(e => $"{e.ActorId}{e.Details}{e.SubjectPseudonym}"));
        Assert.DoesNotContain("private.person", everything);
        Assert.DoesNotContain("13912345678", everything);
        Assert.DoesNotContain("Xiaohong", everything);
        Assert.NotEqual(user.Id, registered.SubjectPseudonym);
        Assert.Equal(await factory.Services.GetRequiredService<AuditWriter>().PseudonymForAsync(db, user.Id), registered.SubjectPseudonym);
        Assert.True((await VerifyAsync()).Intact);
    }
}
