using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Retention;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Retention;

/// <summary>Three years after closing, records go; the audit chain keeps verifying.</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private Guid oldRequest;
    private Guid oldDispute;
    private Guid recentRequest;

    public RetentionTests() => factory = new PortalFactory(new Dictionary<string, string?>
    {
        ["Outbox:WorkerEnabled"] = "false",
        ["Retention:WorkerEnabled"] = "false",
    }, clock);

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var disputes = factory.Services.GetRequiredService<DsrPortal.Features.Disputes.DisputeWorkflow>();
        var evidence = factory.Services.GetRequiredService<DsrPortal.Features.Disputes.DisputeEvidence>();
        var subject = await factory.ActorAsync("subject@demo.local");
        oldRequest = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.PostMessageAsync(oldRequest, "Please hurry.", subject);
        await workflow.WithdrawAsync(oldRequest, subject);

        // An old dispute with evidence and a proposal: all of it goes with the request.
        var agent = await factory.ActorAsync("agent@demo.local");
        oldDispute = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Dispute, SubjectId = subject.UserId, RequesterId = subject.UserId, DisputeSubject = DisputeSubject.Advertising, Description = "No ads.",
        }, subject, "session")).Request!.Id;
        await evidence.AddAsync(oldDispute, "screenshot.png", SampleDocuments.Png, subject);
        await workflow.ClaimAsync(oldDispute, agent);
        await disputes.ProposeAsync(oldDispute, "Fewer ads.", null, [], agent, null);
        await disputes.AnswerProposalAsync(oldDispute, false, null, subject);
        await disputes.CloseUnresolvedAsync(oldDispute, "We could not agree.", agent, null);

        clock.Advance(TimeSpan.FromDays(3 * 365 - 10));
        recentRequest = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.WithdrawAsync(recentRequest, subject);
        clock.Advance(TimeSpan.FromDays(12));
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var db = factory.CreateDbContext();
        return await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db);
    }

    [Fact]
    public async Task A_purge_removes_only_what_is_past_the_period_and_the_chain_still_verifies()
    {
        var result = await factory.Services.GetRequiredService<RetentionPurger>().PurgeAsync();

        Assert.Equal(2, result.Requests);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Requests.AnyAsync(r => r.Id == oldRequest || r.Id == oldDispute));
        Assert.False(await db.RequestAttachments.AnyAsync(a => a.RequestId == oldDispute));
        Assert.False(await db.DisputeProposals.AnyAsync(p => p.RequestId == oldDispute));
        Assert.False(await db.RequestMessages.AnyAsync(m => m.RequestId == oldRequest));
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.RequestId == oldRequest));
        Assert.True(await db.Requests.AnyAsync(r => r.Id == recentRequest));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.RequestId == oldRequest));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.RequestId == recentRequest));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.RetentionPurged));
        var verification = await VerifyAsync();
        Assert.True(verification.Intact, verification.ToString());

        // Running again finds nothing more to do and changes nothing.
        Assert.Equal(0, (await factory.Services.GetRequiredService<RetentionPurger>().PurgeAsync()).Requests);
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task A_run_that_purges_nothing_appends_no_audit_event()
    {
        var purger = factory.Services.GetRequiredService<RetentionPurger>();
        await purger.PurgeAsync();
        var before = await AuditEventCountAsync();

        clock.Advance(TimeSpan.FromDays(1));
        var again = await purger.PurgeAsync();

        Assert.Equal(0, again.Requests);
        Assert.Equal(before, await AuditEventCountAsync());
        Assert.True((await VerifyAsync()).Intact);
    }

    private async Task<int> AuditEventCountAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.AuditEvents.CountAsync();
    }

    [Fact]
    public async Task After_a_purge_tampering_is_still_caught_and_a_forged_checkpoint_too()
    {
        await factory.Services.GetRequiredService<RetentionPurger>().PurgeAsync();
        await using var db = factory.CreateDbContext();
        var head = await db.AuditHeads.AsNoTracking().SingleAsync();
        var firstKept = head.PurgedThroughSequence + 1;

        await db.Database.ExecuteSqlAsync($"UPDATE AuditEvents SET ActorRole = 'Supervisor' WHERE Sequence = {firstKept + 1}");
        Assert.Equal(firstKept + 1, (await VerifyAsync()).BrokenAt);

        await db.Database.ExecuteSqlAsync($"UPDATE AuditEvents SET ActorRole = 'Subject' WHERE Sequence = {firstKept + 1}");
        Assert.True((await VerifyAsync()).Intact);

        // Moving the checkpoint by hand to hide deleted events is noticed.
        var next = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == firstKept);
        await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEvents WHERE Sequence = {firstKept}");
        await db.Database.ExecuteSqlAsync($"UPDATE AuditHeads SET PurgedThroughSequence = {firstKept}, PurgedThroughHash = {next.Hash}");
        Assert.False((await VerifyAsync()).Intact);
    }
}
