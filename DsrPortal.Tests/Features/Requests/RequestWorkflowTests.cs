using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>The lifecycle through the workflow service, on a real SQLite database with a frozen clock.</summary>
public sealed class RequestWorkflowTests : IAsyncLifetime
{
    // Monday 2 November 2026, 10:00 in Shanghai.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private RequestActor subject = null!;
    private RequestActor agent = null!;
    private RequestActor supervisor = null!;

    public RequestWorkflowTests() =>
        factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
        supervisor = await factory.ActorAsync("supervisor@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<DataSubjectRequest> SubmitAsync() =>
        Assert.IsType<DataSubjectRequest>((await Workflow.SubmitAsync(subject.Export(), subject, "Signed-in session")).Request);

    private async Task<DataSubjectRequest> ReloadAsync(Guid id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private async Task<List<string>> EmailsAsync(Guid id)
    {
        await using var db = factory.CreateDbContext();
        return await db.OutboxMessages.Where(m => m.RequestId == id).OrderBy(m => m.Id).Select(m => m.Template).ToListAsync();
    }

    [Fact]
    public async Task A_submitted_request_is_open_with_a_reference_and_the_CN_due_date()
    {
        var request = await SubmitAsync();

        var saved = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.Open, saved.Status);
        Assert.Matches(@"^DSR-2026-\d{6}$", saved.Reference);
        Assert.Equal(DeadlineProfile.CN, saved.Profile);
        // 15 working days after Monday 2 November: Monday 23 November, end of day in Shanghai.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 59, 59, TimeSpan.Zero).AddMilliseconds(999), saved.DueAt);
        Assert.Equal(["request-received"], await EmailsAsync(request.Id));
    }

    [Fact]
    public async Task An_agent_claims_asks_gets_an_answer_extends_approves_and_completes()
    {
        var request = await SubmitAsync();

        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        var claimed = await ReloadAsync(request.Id);
        Assert.True((await Workflow.AskRequesterAsync(request.Id, "Which phone number did you register with?", agent, claimed.Version)).Succeeded);
        Assert.Equal(RequestStatus.AwaitingRequester, (await ReloadAsync(request.Id)).Status);

        // The requester answers two working days later: the clock, paused meanwhile, moves the due date by two.
        clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await Workflow.PostMessageAsync(request.Id, "It is 13800000001.", subject)).Succeeded);
        var answered = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.InProgress, answered.Status);
        Assert.Equal(new DateOnly(2026, 11, 25), DateOnly.FromDateTime(answered.DueAt.ToOffset(TimeSpan.FromHours(8)).DateTime));

        Assert.True((await Workflow.ExtendAsync(request.Id, "We need to collect records from an archive.", agent, answered.Version)).Succeeded);
        var extended = await ReloadAsync(request.Id);
        // 30 days after receipt (2 December), plus the two days the clock stood still: 4 December.
        Assert.Equal(new DateOnly(2026, 12, 4), DateOnly.FromDateTime(extended.DueAt.ToOffset(TimeSpan.FromHours(8)).DateTime));
        Assert.Equal("We need to collect records from an archive.", extended.ExtensionReason);

        Assert.True((await Workflow.ApproveAsync(request.Id, agent, extended.Version)).Succeeded);
        Assert.Equal(RequestStatus.Fulfilling, (await ReloadAsync(request.Id)).Status);
        // The portal carries out an export itself: the agent cannot close it by hand, the fulfilment runner does.
        var manual = await Workflow.CompleteAsync(request.Id, null, agent, (await ReloadAsync(request.Id)).Version);
        Assert.Equal(WorkflowErrorKind.Rule, manual.Error?.Kind);
        Assert.Equal(1, await factory.Services.GetRequiredService<DsrPortal.Features.Fulfilment.FulfilmentRunner>().RunDueAsync());

        var done = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.Completed, done.Status);
        Assert.NotNull(done.ClosedAt);
        Assert.Equal(["request-received", "request-status", "request-info-needed", "request-extended", "request-status", "request-completed"], await EmailsAsync(request.Id));
        await using var db = factory.CreateDbContext();
        var statuses = (await db.AuditEvents.Where(e => e.RequestId == request.Id && e.Action == AuditActions.RequestStatusChanged).OrderBy(e => e.Sequence).ToListAsync())
            .Select(e => System.Text.Json.JsonDocument.Parse(e.Details).RootElement.GetProperty("to").GetString());
        Assert.Equal(["Open", "InProgress", "AwaitingRequester", "InProgress", "Approved", "Fulfilling", "Completed"], statuses);
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task An_illegal_move_is_refused_in_words_and_changes_nothing()
    {
        var request = await SubmitAsync();
        await using var before = factory.CreateDbContext();
        var eventsBefore = await before.AuditEvents.CountAsync();

        var unclaimed = await Workflow.ApproveAsync(request.Id, agent, expectedVersion: null);
        await Workflow.ClaimAsync(request.Id, agent);
        var tooEarly = await Workflow.CompleteAsync(request.Id, null, agent, expectedVersion: null);

        Assert.Equal(WorkflowErrorKind.Rule, unclaimed.Error!.Kind);
        Assert.Equal("Claim the request before acting on it.", unclaimed.Error.Key);
        Assert.Equal("Only a request being fulfilled can be completed.", tooEarly.Error!.Key);
        var after = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.InProgress, after.Status);
        await using var db = factory.CreateDbContext();
        Assert.Equal(eventsBefore + 2, await db.AuditEvents.CountAsync()); // the claim's two events, nothing else
    }

    [Fact]
    public async Task A_refusal_needs_a_legal_reason_and_an_explanation_and_only_supervisors_may_call_a_request_excessive()
    {
        var request = await SubmitAsync();
        await Workflow.ClaimAsync(request.Id, agent);

        var noExplanation = await Workflow.RefuseAsync(request.Id, RefusalReason.ServiceSecurity, "  ", agent, null);
        var excessiveByAgent = await Workflow.RefuseAsync(request.Id, RefusalReason.ManifestlyUnfoundedOrExcessive, "Fifth identical request this week.", agent, null);
        var bySupervisor = await Workflow.RefuseAsync(request.Id, RefusalReason.ManifestlyUnfoundedOrExcessive, "Fifth identical request this week.", supervisor, null);

        Assert.Equal("Explain the refusal to the requester: a reason code alone is not enough.", noExplanation.Error!.Key);
        Assert.Equal("Only a supervisor can refuse a request as manifestly unfounded or excessive.", excessiveByAgent.Error!.Key);
        Assert.True(bySupervisor.Succeeded);
        var refused = await ReloadAsync(request.Id);
        Assert.Equal((RequestStatus.Refused, RefusalReason.ManifestlyUnfoundedOrExcessive), (refused.Status, refused.RefusalReason));
        Assert.Contains("request-refused", await EmailsAsync(request.Id));
    }

    [Fact]
    public async Task Two_agents_claiming_at_once_never_both_win_and_neither_sees_an_error()
    {
        var other = await CreateAgentAsync("second.agent@demo.local");
        for (var i = 0; i < 8; i++)
        {
            var request = await SubmitAsync();

            var results = await Task.WhenAll(
                Task.Run(() => Workflow.ClaimAsync(request.Id, agent)),
                Task.Run(() => Workflow.ClaimAsync(request.Id, other)));

            Assert.Single(results, r => r.Succeeded);
            var loser = Assert.Single(results, r => !r.Succeeded);
            Assert.Equal("Another agent has already claimed this request.", loser.Error!.Key);
            var saved = await ReloadAsync(request.Id);
            Assert.Contains(saved.AssigneeId, new[] { agent.UserId, other.UserId });
        }

        await using var db = factory.CreateDbContext();
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task Two_decisions_on_the_same_version_one_wins_the_other_is_told_the_request_changed()
    {
        for (var i = 0; i < 6; i++)
        {
            var request = await SubmitAsync();
            await Workflow.ClaimAsync(request.Id, agent);
            var version = (await ReloadAsync(request.Id)).Version;

            var results = await Task.WhenAll(
                Task.Run(() => Workflow.ApproveAsync(request.Id, agent, version)),
                Task.Run(() => Workflow.RefuseAsync(request.Id, RefusalReason.IdentityNotVerified, "We could not confirm it is you.", supervisor, version)));

            Assert.Single(results, r => r.Succeeded);
            Assert.Equal(WorkflowErrorKind.Conflict, Assert.Single(results, r => !r.Succeeded).Error!.Kind);
            Assert.Contains((await ReloadAsync(request.Id)).Status, new[] { RequestStatus.Fulfilling, RequestStatus.Refused });
        }
    }

    [Fact]
    public async Task Another_subject_cannot_touch_a_request_even_knowing_its_id()
    {
        var request = await SubmitAsync();
        var stranger = await factory.ActorAsync("guardian@demo.local");

        Assert.Equal(WorkflowErrorKind.NotFound, (await Workflow.WithdrawAsync(request.Id, stranger)).Error!.Kind);
        Assert.Equal(WorkflowErrorKind.NotFound, (await Workflow.PostMessageAsync(request.Id, "hello", stranger)).Error!.Kind);
        Assert.Equal(RequestStatus.Open, (await ReloadAsync(request.Id)).Status);
    }

    [Fact]
    public async Task Revealing_a_requesters_contact_details_is_audited_and_subjects_cannot_do_it()
    {
        var request = await SubmitAsync();

        Assert.True((await Workflow.RecordRevealAsync(request.Id, agent)).Succeeded);
        Assert.Equal("Only customer-service staff can do this.", (await Workflow.RecordRevealAsync(request.Id, subject)).Error!.Key);

        await using var db = factory.CreateDbContext();
        var reveal = await db.AuditEvents.SingleAsync(e => e.RequestId == request.Id && e.Action == AuditActions.PersonalDataRevealed);
        Assert.Equal((agent.UserId, "Agent"), (reveal.ActorId, reveal.ActorRole));
        Assert.DoesNotContain("@", reveal.Details);
    }

    [Fact]
    public async Task Spam_is_closed_with_a_reason_on_record_and_no_reply()
    {
        var request = await SubmitAsync();

        var bySubject = await Workflow.MarkAsSpamAsync(request.Id, "mine", subject, null);
        var noReason = await Workflow.MarkAsSpamAsync(request.Id, " ", agent, null);
        var marked = await Workflow.MarkAsSpamAsync(request.Id, "Template sent 500 times from one address.", agent, null);

        Assert.Equal("Only customer-service staff can do this.", bySubject.Error!.Key);
        Assert.Equal("Say why this is spam: the reason stays on the record.", noReason.Error!.Key);
        Assert.True(marked.Succeeded);
        var saved = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.MarkedAsSpam, saved.Status);
        Assert.True(saved.IsClosed);
        Assert.Equal(["request-received"], await EmailsAsync(request.Id));
        await using var db = factory.CreateDbContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.RequestId == request.Id && e.Details.Contains("MarkedAsSpam")));
        Assert.DoesNotContain("500 times", string.Concat(await db.AuditEvents.Select(e => e.Details).ToListAsync()));
    }

    [Fact]
    public async Task The_requester_withdraws_once()
    {
        var request = await SubmitAsync();

        var first = await Workflow.WithdrawAsync(request.Id, subject);
        var second = await Workflow.WithdrawAsync(request.Id, subject);

        Assert.True(first.Succeeded);
        Assert.Equal("This request is already closed.", second.Error!.Key);
        Assert.Equal(RequestStatus.Withdrawn, (await ReloadAsync(request.Id)).Status);
        Assert.Equal(["request-received", "request-withdrawn"], await EmailsAsync(request.Id));
    }

    [Fact]
    public async Task A_request_logged_from_a_call_without_an_identity_check_waits_for_one()
    {
        var logged = await Workflow.SubmitAsync(subject.Export(RequestChannel.Phone) with { RequesterId = agent.UserId, Relation = RequesterRelation.AgentOnBehalf }, agent, null);

        Assert.Equal(RequestStatus.AwaitingVerification, logged.Request!.Status);
        var verified = await Workflow.VerifyAsync(logged.Request.Id, "Caller confirmed the last four digits of the phone and the nickname", agent, null);
        Assert.True(verified.Succeeded);
        var saved = await ReloadAsync(logged.Request.Id);
        Assert.Equal(RequestStatus.Open, saved.Status);
        Assert.Equal(subject.UserId, saved.SubjectId);
        await using var db = factory.CreateDbContext();
        // The subject hears about it, as of a request of their own.
        Assert.Equal(subject.UserId, (await db.OutboxMessages.SingleAsync(m => m.RequestId == saved.Id)).RecipientUserId);
    }

    private async Task<RequestActor> CreateAgentAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DsrPortal.Features.Staff.StaffAccountService>()
            .CreateAsync(email, DsrPortal.Features.Accounts.PortalRoles.Agent, "second agent passphrase", AuditActor.System);
        return await factory.ActorAsync(email);
    }
}
