using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Data;

/// <summary>
/// Group commit on both databases: units that queue together share one transaction, each is answered only after
/// the commit, a unit that fails is rolled back alone (its audit event with it, so the chain stays whole), and a
/// burst of submissions loses nothing.
/// </summary>
public sealed class GroupCommitTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    [Fact]
    public Task A_failing_unit_is_rolled_back_alone_and_the_rest_of_its_group_commits_on_SQLite() =>
        WithPortalAsync(null, FailingUnitIsRolledBackAloneAsync);

    [Fact]
    public async Task A_failing_unit_is_rolled_back_alone_and_the_rest_of_its_group_commits_on_PostgreSQL() =>
        await WithPortalAsync(await cluster.CreateDatabaseAsync($"portal_{Guid.NewGuid():N}"), FailingUnitIsRolledBackAloneAsync);

    [Fact]
    public Task A_burst_of_submissions_loses_none_and_keeps_the_chain_on_SQLite() =>
        WithPortalAsync(null, BurstLosesNothingAsync);

    [Fact]
    public async Task A_burst_of_submissions_loses_none_and_keeps_the_chain_on_PostgreSQL() =>
        await WithPortalAsync(await cluster.CreateDatabaseAsync($"portal_{Guid.NewGuid():N}"), BurstLosesNothingAsync);

    private static async Task FailingUnitIsRolledBackAloneAsync(PortalFactory factory)
    {
        var groups = factory.Services.GetRequiredService<GroupCommit>();
        var audit = factory.Services.GetRequiredService<AuditWriter>();
        var actor = new AuditActor("group-test", AuditRoles.System);
        var before = await CountEventsAsync(factory);

        // The first unit holds the writer while three more queue behind it: those three form the next group.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = groups.RunAsync(async db =>
        {
            entered.SetResult();
            await gate.Task;
            await audit.AppendAsync(db, actor, "test.first");
            return new GroupWork<string>(db.Database.CurrentTransaction!.TransactionId.ToString(), true);
        }, CancellationToken.None);
        await entered.Task;

        Task<GroupOutcome<string>>? second = null;
        var secondDoneWhileGroupRan = true;
        second = groups.RunAsync(async db =>
        {
            await audit.AppendAsync(db, actor, "test.second");
            return new GroupWork<string>(db.Database.CurrentTransaction!.TransactionId.ToString(), true);
        }, CancellationToken.None);
        var failing = groups.RunAsync<string>(async db =>
        {
            await audit.AppendAsync(db, actor, "test.failing");
            await db.SaveChangesAsync();
            throw new InvalidOperationException("this unit fails after writing");
        }, CancellationToken.None);
        var fourth = groups.RunAsync(async db =>
        {
            // The second unit ran in this group already, but its caller has no answer before the commit.
            secondDoneWhileGroupRan = second.IsCompleted;
            await audit.AppendAsync(db, actor, "test.fourth");
            return new GroupWork<string>(db.Database.CurrentTransaction!.TransactionId.ToString(), true);
        }, CancellationToken.None);
        gate.SetResult();

        var firstOutcome = await first;
        var secondOutcome = await second;
        var fourthOutcome = await fourth;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("this unit fails after writing", error.Message);
        Assert.False(secondDoneWhileGroupRan);
        Assert.Equal(secondOutcome.Result, fourthOutcome.Result);
        Assert.NotEqual(firstOutcome.Result, secondOutcome.Result);

        await using var check = factory.CreateDbContext();
        var actions = await check.AuditEvents.Where(e => e.ActorId == "group-test").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(["test.first", "test.second", "test.fourth"], actions);
        Assert.Equal(before + 3, await CountEventsAsync(factory));
        var verification = await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(check);
        Assert.True(verification.Intact, verification.ToString());
    }

    private static async Task BurstLosesNothingAsync(PortalFactory factory)
    {
        const int Burst = 60;
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await factory.ActorAsync("subject@demo.local");

        var submissions = Enumerable.Range(0, Burst).Select(_ => Task.Run(() => workflow.SubmitAsync(
            new NewRequest { Type = RequestType.Export, SubjectId = subject.UserId, RequesterId = subject.UserId, Relation = RequesterRelation.Self, Channel = RequestChannel.Api },
            subject, "test", CancellationToken.None, alongside: null)));
        var results = await Task.WhenAll(submissions);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Key));
        var ids = results.Select(r => r.Request!.Id).ToHashSet();
        Assert.Equal(Burst, ids.Count);
        await using var db = factory.CreateDbContext();
        Assert.Equal(Burst, await db.Requests.CountAsync(r => ids.Contains(r.Id)));
        Assert.Equal(Burst, (await db.Requests.Where(r => ids.Contains(r.Id)).Select(r => r.Number).ToListAsync()).Distinct().Count());
        var verification = await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db);
        Assert.True(verification.Intact, verification.ToString());
    }

    private static async Task<int> CountEventsAsync(PortalFactory factory)
    {
        await using var db = factory.CreateDbContext();
        return await db.AuditEvents.CountAsync();
    }

    private static async Task WithPortalAsync(string? postgres, Func<PortalFactory, Task> test)
    {
        var settings = new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" };
        if (postgres is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Postgres"] = postgres;
        }

        await using var factory = new PortalFactory(settings);
        _ = factory.Server;
        await test(factory);
    }
}
