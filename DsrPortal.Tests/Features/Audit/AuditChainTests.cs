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

    private async Task<AuditVerification> VerifyAsync(AuditCheckpoint? checkpoint = null)
    {
        await using var db = factory.CreateDbContext();
        return await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db, checkpoint);
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
    public async Task Changing_the_actor_and_recomputing_that_hash_fails_on_its_signature()
    {
        await using (var db = factory.CreateDbContext())
        {
            var e = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 4);
            var forged = AuditHasher.Compute(e.PreviousHash, e.Sequence, e.OccurredAt, "someone-else", e.ActorRole, e.Action, e.RequestId, e.SubjectPseudonym, e.Details);
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEvents SET ActorId = 'someone-else', Hash = {forged} WHERE Sequence = 4");
        }

        var result = await VerifyAsync();

        Assert.Equal(4, result.BrokenAt);
        Assert.Contains("signature", result.Problem);
    }

    [Fact]
    public async Task Editing_an_event_and_recomputing_every_later_hash_and_the_head_fails_without_the_key()
    {
        // The forger rewrites event 3 and carries every SHA-256 forward, head included: the old attack that passed.
        await using (var db = factory.CreateDbContext())
        {
            var events = await db.AuditEvents.OrderBy(x => x.Sequence).ToListAsync();
            var previous = AuditHasher.Genesis;
            foreach (var e in events)
            {
                var actor = e.Sequence == 3 ? "forger" : e.ActorId;
                var hash = AuditHasher.Compute(previous, e.Sequence, e.OccurredAt, actor, e.ActorRole, e.Action, e.RequestId, e.SubjectPseudonym, e.Details);
                await db.Database.ExecuteSqlAsync($"UPDATE AuditEvents SET ActorId = {actor}, PreviousHash = {previous}, Hash = {hash} WHERE Sequence = {e.Sequence}");
                previous = hash;
            }

            await db.Database.ExecuteSqlAsync($"UPDATE AuditHeads SET LastHash = {previous}");
        }

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Contains("head's signature", result.Problem);
    }

    [Fact]
    public async Task A_deleted_head_row_is_a_failure_not_an_empty_trail()
    {
        await SqlAsync("UPDATE AuditEvents SET Details = '{\"to\":\"Closed\"}' WHERE Sequence = 2");
        await SqlAsync("DELETE FROM AuditHeads");

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Contains("head row is missing", result.Problem);
    }

    [Fact]
    public async Task Cutting_the_tail_and_winding_the_head_back_is_caught()
    {
        await using (var db = factory.CreateDbContext())
        {
            var kept = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 5);
            await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEvents WHERE Sequence > 5");
            await db.Database.ExecuteSqlAsync($"UPDATE AuditHeads SET LastSequence = 5, LastHash = {kept.Hash}");
        }

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Contains("head's signature", result.Problem);
    }

    [Fact]
    public async Task A_head_wound_back_over_events_that_are_still_there_is_caught()
    {
        // Even with a head signature from an earlier moment (an old backup), events beyond it give it away.
        await using (var db = factory.CreateDbContext())
        {
            var writer = factory.Services.GetRequiredService<AuditWriter>();
            var head = await db.AuditHeads.SingleAsync();
            var kept = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 5);
            head.LastSequence = 5;
            head.LastHash = kept.Hash;
            writer.Seal(head);
            await db.SaveChangesAsync();
        }

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(6, result.BrokenAt);
        Assert.Contains("beyond the head", result.Problem);
    }

    [Fact]
    public async Task A_forged_retention_checkpoint_is_caught()
    {
        // A writer hides events 1 to 4 as if a retention purge had removed them.
        await using (var db = factory.CreateDbContext())
        {
            var fourth = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 4);
            await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEvents WHERE Sequence <= 4");
            await db.Database.ExecuteSqlAsync($"UPDATE AuditHeads SET PurgedThroughSequence = 4, PurgedThroughHash = {fourth.Hash}");
        }

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Contains("head's signature", result.Problem);
    }

    [Fact]
    public async Task A_checkpoint_kept_outside_proves_a_cut_tail_with_a_restored_old_head()
    {
        // The strongest database-only forgery: the tail is cut and the head restored from a backup taken at event 5.
        var checkpoints = factory.Services.GetRequiredService<AuditCheckpoints>();
        var (path, _) = await checkpoints.WriteAsync();
        Assert.NotNull(path);
        var (checkpoint, error) = checkpoints.Read(path!);
        Assert.Null(error);
        Assert.True((await VerifyAsync(checkpoint)).Intact);

        // A backup of the head at event 5 would carry a valid signature; the writer cannot make one, so it is taken from the writer here.
        await using (var db = factory.CreateDbContext())
        {
            var last = await db.AuditHeads.AsNoTracking().Select(h => h.LastSequence).SingleAsync();
            var kept = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == last - 2);
            var head = await db.AuditHeads.SingleAsync();
            head.LastSequence = kept.Sequence;
            head.LastHash = kept.Hash;
            factory.Services.GetRequiredService<AuditWriter>().Seal(head);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEvents WHERE Sequence > {kept.Sequence}");
        }

        Assert.True((await VerifyAsync()).Intact);
        var withCheckpoint = await VerifyAsync(checkpoint);
        Assert.False(withCheckpoint.Intact);
        Assert.Contains("events were removed from the end", withCheckpoint.Problem);

        // And the verb says so, with exit code 1.
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await DsrPortal.Hosting.ProgramVerbs.RunAsync(factory.Services, ["audit", "verify", "--checkpoint", path!], output, errors, TextReader.Null);
        Assert.Equal(1, exit);
        Assert.StartsWith("BROKEN at event", errors.ToString());
    }

    [Fact]
    public async Task A_changed_checkpoint_file_is_refused_and_audit_checkpoint_writes_one()
    {
        var output = new StringWriter();
        Assert.Equal(0, await DsrPortal.Hosting.ProgramVerbs.RunAsync(factory.Services, ["audit", "checkpoint"], output, new StringWriter(), TextReader.Null));
        var path = output.ToString().Trim()["Checkpoint written: ".Length..];
        var verified = new StringWriter();
        Assert.Equal(0, await DsrPortal.Hosting.ProgramVerbs.RunAsync(factory.Services, ["audit", "verify", "--checkpoint", path], verified, new StringWriter(), TextReader.Null));
        Assert.Matches(@"^OK \d+ events", verified.ToString());

        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\"sequence\": ", "\"sequence\": 1"));
        var errors = new StringWriter();
        Assert.Equal(1, await DsrPortal.Hosting.ProgramVerbs.RunAsync(factory.Services, ["audit", "verify", "--checkpoint", path], new StringWriter(), errors, TextReader.Null));
        Assert.Contains("signature does not match", errors.ToString());
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
