using DsrPortal.Features.Audit;
using DsrPortal.Features.Queue;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Queue;

/// <summary>Bulk moves in the queue: each request through its own use case, what cannot move listed with its reason, a bad command refused before anything moves.</summary>
public sealed class QueueBulkTests(QueueBulkTests.Portal portal) : IClassFixture<QueueBulkTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    private RequestWorkflow Workflow => portal.Factory.Services.GetRequiredService<RequestWorkflow>();

    private QueueBulk Bulk => portal.Factory.Services.GetRequiredService<QueueBulk>();

    private async Task<List<Guid>> SubmitAsync(RequestActor subject, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id);
        }

        return ids;
    }

    [Fact]
    public async Task A_bulk_refusal_moves_each_request_with_its_own_event_and_email_and_lists_the_one_another_agent_holds()
    {
        var subject = await portal.Factory.ActorAsync((await portal.Factory.CreateSubjectAsync("bulk-refuse@example.com")).Email!);
        var agent = await portal.Factory.CreateStaffAsync("bulk.refuser@demo.local");
        var other = await portal.Factory.CreateStaffAsync("bulk.other@demo.local");
        var ids = await SubmitAsync(subject, 5);

        var claimed = await Bulk.ApplyAsync(ids[..4], new BulkCommand(BulkAction.Claim), agent);
        Assert.Null(claimed.Refused);
        Assert.Equal(4, claimed.Moved);
        Assert.True((await Workflow.ClaimAsync(ids[4], other)).Succeeded);

        var refused = await Bulk.ApplyAsync(ids, new BulkCommand(BulkAction.Refuse, "We hold no data under this account.", RefusalReason.IdentityNotVerified), agent);
        Assert.Null(refused.Refused);
        Assert.Equal(4, refused.Moved);
        var stuck = Assert.Single(refused.NotMoved);
        Assert.Equal(ids[4], stuck.Id);
        Assert.Equal(WorkflowErrorKind.Rule, stuck.Error!.Kind);
        Assert.Matches(@"^DSR-\d{4}-\d{6}$", stuck.Reference);

        await using var db = portal.Factory.CreateDbContext();
        foreach (var id in ids[..4])
        {
            Assert.Equal(RequestStatus.Refused, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.RequestClaimed));
            Assert.Contains("request-refused", await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync());
        }

        // The one another agent holds is as it was: still theirs, in progress, no refusal sent.
        var held = await db.Requests.SingleAsync(r => r.Id == ids[4]);
        Assert.Equal((RequestStatus.InProgress, other.UserId), (held.Status, held.AssigneeId));
        Assert.DoesNotContain("request-refused", await db.OutboxMessages.Where(m => m.RequestId == ids[4]).Select(m => m.Template).ToListAsync());
    }

    [Fact]
    public async Task A_command_missing_what_it_needs_or_too_large_moves_nothing_and_says_why()
    {
        var subject = await portal.Factory.ActorAsync((await portal.Factory.CreateSubjectAsync("bulk-refused@example.com")).Email!);
        var agent = await portal.Factory.CreateStaffAsync("bulk.careless@demo.local");
        var ids = await SubmitAsync(subject, 2);
        Assert.Equal(2, (await Bulk.ApplyAsync(ids, new BulkCommand(BulkAction.Claim), agent)).Moved);

        var cases = new (IReadOnlyCollection<Guid> Ids, BulkCommand Command, string Key)[]
        {
            ([], new BulkCommand(BulkAction.Approve), "Choose at least one request."),
            ([.. ids, .. Enumerable.Range(0, QueueBulk.MaxRequests).Select(_ => Guid.NewGuid())], new BulkCommand(BulkAction.Approve), "Choose at most {0} requests at once."),
            (ids, new BulkCommand(BulkAction.Refuse, "No."), "Choose a legal reason for the refusal."),
            (ids, new BulkCommand(BulkAction.Refuse, "No.", RefusalReason.NoAnswer), "Choose a legal reason for the refusal."),
            (ids, new BulkCommand(BulkAction.Extend, "  "), "Give the reason for the extension: the requesters are told."),
            (ids, new BulkCommand(BulkAction.Assign, AssigneeId: agent.UserId), "Only a supervisor can reassign a request."),
            (ids, new BulkCommand((BulkAction)42), "Choose what to do with the chosen requests."),
        };
        foreach (var (chosen, command, key) in cases)
        {
            var outcome = await Bulk.ApplyAsync(chosen, command, agent);
            Assert.Equal(key, outcome.Refused?.Key);
            Assert.Empty(outcome.Items);
        }

        // A subject cannot move anything, even their own requests.
        Assert.Equal("This request does not exist, or it is not yours.", (await Bulk.ApplyAsync(ids, new BulkCommand(BulkAction.Claim), subject)).Refused?.Key);

        await using var db = portal.Factory.CreateDbContext();
        Assert.All(await db.Requests.Where(r => ids.Contains(r.Id)).ToListAsync(), r => Assert.Equal(RequestStatus.InProgress, r.Status));
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => ids.Contains(e.RequestId!.Value) && e.Action == AuditActions.RequestExtended));
    }

    [Fact]
    public async Task A_supervisor_assigns_many_at_once_and_an_unknown_id_is_listed_as_not_found()
    {
        var subject = await portal.Factory.ActorAsync((await portal.Factory.CreateSubjectAsync("bulk-assign@example.com")).Email!);
        var supervisor = await portal.Factory.ActorAsync("supervisor@demo.local");
        var agent = await portal.Factory.CreateStaffAsync("bulk.assignee@demo.local");
        var ids = await SubmitAsync(subject, 3);
        var unknown = Guid.NewGuid();

        var outcome = await Bulk.ApplyAsync([.. ids, unknown], new BulkCommand(BulkAction.Assign, AssigneeId: agent.UserId), supervisor);
        Assert.Equal(3, outcome.Moved);
        Assert.Equal((unknown, WorkflowErrorKind.NotFound), (Assert.Single(outcome.NotMoved).Id, outcome.NotMoved.Single().Error!.Kind));

        await using var db = portal.Factory.CreateDbContext();
        Assert.All(await db.Requests.Where(r => ids.Contains(r.Id)).ToListAsync(), r => Assert.Equal(agent.UserId, r.AssigneeId));
        Assert.Equal(3, await db.AuditEvents.CountAsync(e => ids.Contains(e.RequestId!.Value) && e.Action == AuditActions.RequestReassigned));
    }
}
