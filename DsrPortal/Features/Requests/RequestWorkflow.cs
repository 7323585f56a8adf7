using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests;

/// <summary>
/// Every use case on a request, for the web pages and the API alike. Each one loads the request,
/// checks who is asking, applies one lifecycle move, and saves the change, its audit events and its
/// emails in one transaction. A lost race is retried against fresh data, so the loser is told what
/// changed instead of seeing an error page.
/// </summary>
internal sealed partial class RequestWorkflow(
    IDbContextFactory<ApplicationDbContext> contexts,
    DeadlineCalculator deadlines,
    AuditWriter audit,
    Outbox outbox,
    RequestChangeNotifier notifier,
    Fulfilment.FulfilmentScheduler fulfilment,
    DataSources.PersonalData data,
    Guardians.GuardianService guardians,
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection,
    Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> localizer,
    TimeProvider clock)
{
    private const int Attempts = 4;

    /// <param name="alongside">Saved in the same transaction as the request (an authorized agent's permission), given the new request.</param>
    public async Task<WorkflowResult> SubmitAsync(
        NewRequest details, RequestActor actor, string? verificationMethod, CancellationToken cancellationToken = default,
        Func<ApplicationDbContext, DataSubjectRequest, Task>? alongside = null)
    {
        List<Corrections.CorrectionItem> corrections;
        try
        {
            details.Validate();
            Require(details.Relation != RequesterRelation.Guardian || await guardians.MayActForAsync(details.RequesterId, details.SubjectId, cancellationToken),
                "You can make requests for a minor only while your guardian link to them is verified.");
            Require(details.Relation != RequesterRelation.Self || details.SubjectId == details.RequesterId, "You can make requests only about your own data.");
            Require(details.Relation != RequesterRelation.AuthorizedAgent || (alongside is not null && details.SubjectId != details.RequesterId),
                "You cannot act as your own authorized agent: make the request for yourself instead.");
            corrections = await PrepareCorrectionsAsync(details, cancellationToken);
        }
        catch (RequestRuleException e)
        {
            return WorkflowResult.Rule(e);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var profile = deadlines.DefaultProfile;
            DataSubjectRequest request;
            try
            {
                request = DataSubjectRequest.Submit(details, now, profile, deadlines.DueAt(profile, now));
                foreach (var item in corrections)
                {
                    db.CorrectionItems.Add(new Corrections.CorrectionItem
                    {
                        RequestId = request.Id, Field = item.Field, ValueWhenAsked = item.ValueWhenAsked, ProposedValue = item.ProposedValue,
                    });
                }

                var from = verificationMethod is null ? request.AwaitVerification(now) : request.Verify(verificationMethod, now);
                db.Requests.Add(request);
                await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestSubmitted, request.Id, request.SubjectId, new Dictionary<string, string?>
                {
                    ["type"] = request.Type.ToString(),
                    ["channel"] = request.Channel.ToString(),
                    ["relation"] = request.Relation.ToString(),
                    ["profile"] = profile.ToString(),
                    ["due"] = Date(request.Profile, request.DueAt),
                    ["checks"] = details.Relation == RequesterRelation.AgentOnBehalf ? Verification.AgentChecks.Codes(details.AgentChecks) : null,
                    ["verified"] = verificationMethod is null ? "false" : "true",
                }, cancellationToken);
                // A request that waits for its requester to confirm who they are says so, and how.
                // An authorized agent is told the person must confirm first; the person is asked through their own address.
                var receipt = request.Relation == RequesterRelation.AuthorizedAgent ? "agent-request-received"
                    : request.Status == RequestStatus.AwaitingVerification ? "request-confirm-identity" : "request-received";
                await StatusChangedAsync(db, actor, request, from, receipt, cancellationToken: cancellationToken);
                if (alongside is not null)
                {
                    await alongside(db, request);
                }

                if (request.Relation == RequesterRelation.Guardian)
                {
                    // The minor is told that a request about their data was made for them.
                    outbox.Enqueue(db, "request-made-for-you", request.SubjectId, request.Id, Values(request));
                }
            }
            catch (RequestRuleException e)
            {
                return WorkflowResult.Rule(e);
            }

            switch (await TrySaveAsync(db, transaction, attempt, cancellationToken))
            {
                case SaveOutcome.Saved:
                    notifier.Publish(request.Id);
                    return new WorkflowResult(request, null);
                case SaveOutcome.GaveUp:
                    return WorkflowResult.Conflict();
            }
        }
    }

    public Task<WorkflowResult> VerifyAsync(Guid id, string method, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: false, async (db, request, now) =>
        {
            Require(!PortalText.IsBlank(method), "Say how the requester's identity was checked.");
            var from = request.Verify(method.Trim(), now);
            await StatusChangedAsync(db, actor, request, from, cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> ClaimAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion: null, requireAssignee: false, async (db, request, now) =>
        {
            var from = request.Claim(actor.UserId, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestClaimed, request.Id, request.SubjectId, cancellationToken: cancellationToken);
            await StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> ReassignAsync(Guid id, string agentId, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: false, async (db, request, now) =>
        {
            Require(actor.IsSupervisor, "Only a supervisor can reassign a request.");
            Require(await IsStaffAsync(db, agentId, cancellationToken), "Choose an agent or supervisor to assign the request to.");
            var before = request.Status;
            request.Reassign(agentId, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestReassigned, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["to"] = agentId }, cancellationToken);
            if (before != request.Status)
            {
                await StatusChangedAsync(db, actor, request, before, cancellationToken: cancellationToken);
            }
        }, cancellationToken);

    public Task<WorkflowResult> AskRequesterAsync(Guid id, string question, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            var body = MessageBody(question);
            var from = request.AskRequester(now);
            AddMessage(db, request, actor, body, MessageKind.InformationRequest, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestMessage, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["kind"] = MessageKind.InformationRequest.ToString() }, cancellationToken);
            await StatusChangedAsync(db, actor, request, from, "request-info-needed", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>A message on the thread. A requester's reply to a question also restarts the paused clock.</summary>
    public Task<WorkflowResult> PostMessageAsync(Guid id, string text, RequestActor actor, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            var body = MessageBody(text);
            Require(!actor.IsStaff || request.AssigneeId == actor.UserId || actor.IsSupervisor, "Claim the request before writing to the requester.");
            request.RecordMessage(now);
            AddMessage(db, request, actor, body, MessageKind.Message, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestMessage, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["kind"] = MessageKind.Message.ToString() }, cancellationToken);
            if (actor.IsStaff)
            {
                outbox.Enqueue(db, "request-message", Recipient(request), request.Id, Values(request));
            }
            else if (request.Status == RequestStatus.AwaitingRequester)
            {
                await ResumeClockAsync(db, request, actor, now, cancellationToken);
            }
        }, cancellationToken);

    public Task<WorkflowResult> ResumeAsync(Guid id, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true,
            (db, request, now) => ResumeClockAsync(db, request, actor, now, cancellationToken), cancellationToken);

    /// <summary>
    /// Approves and starts fulfilment. Exports and deletions by category are queued for the fulfilment
    /// worker (a log-off after its cooling-off period); anything else the agent carries out and completes.
    /// </summary>
    public Task<WorkflowResult> ApproveAsync(Guid id, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(request.Type != RequestType.Dispute, "A dispute ends with a settlement the requester accepts, or as unresolved with a written notice.");
            Require(!await db.CorrectionItems.AnyAsync(c => c.RequestId == request.Id, cancellationToken),
                "Decide each field of this correction instead: accepted values are applied and the requester is told field by field.");
            var from = request.Approve(now);
            await StatusChangedAsync(db, actor, request, from, cancellationToken: cancellationToken);
            from = request.StartFulfilment(now);
            await StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
            if (fulfilment.Schedule(db, request, now) is { } job)
            {
                await audit.AppendAsync(db, actor.ForAudit, AuditActions.FulfilmentScheduled, request.Id, request.SubjectId, new Dictionary<string, string?>
                {
                    ["kind"] = job.Kind.ToString(),
                    ["notBefore"] = Date(job.NotBefore),
                }, cancellationToken);
            }
        }, cancellationToken);

    /// <summary>
    /// Closes a request whose automated fulfilment finished, together with whatever the job saves in
    /// the same transaction: the request, its audit events, its email and the job's end commit or fail together.
    /// </summary>
    /// <param name="finalAddress">For a completed log-off: the address (and language) taken before the account was anonymised.</param>
    public Task<WorkflowResult> FinishFulfilmentAsync(
        Guid id, string? exceptionsNote, Func<ApplicationDbContext, DataSubjectRequest, DateTimeOffset, Task> alsoSave,
        (string Address, string Culture)? finalAddress = null, CancellationToken cancellationToken = default) =>
        ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            var from = exceptionsNote is null ? request.Complete(now) : request.CompleteWithExceptions(exceptionsNote, now);
            await StatusChangedAsync(db, RequestActor.System, request, from, finalAddress is null ? "request-completed" : null, cancellationToken: cancellationToken);
            if (finalAddress is { } to)
            {
                var values = Values(request);
                values.TryAdd("OutcomeNote", "");
                outbox.Enqueue(db, "account-deleted", request.SubjectId, request.Id, values, to.Address, to.Culture);
            }

            await alsoSave(db, request, now);
        }, cancellationToken);

    public Task<WorkflowResult> RefuseAsync(Guid id, RefusalReason reason, string explanation, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            var from = request.Refuse(reason, explanation, actor.IsSupervisor, now);
            await StatusChangedAsync(db, actor, request, from, "request-refused",
                new Dictionary<string, string?> { ["reason"] = reason.ToString() }, cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> ExtendAsync(Guid id, string reason, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            // The profile's extended deadline, with the time the clock stood still given back the profile's way.
            var extended = deadlines.Extend(
                request.Profile, request.ReceivedAt, request.ClockRestartedAt ?? request.ReceivedAt, request.OriginalDueAt, request.DueAt);
            var previous = request.DueAt;
            request.Extend(reason, extended, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestExtended, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["from"] = Date(request.Profile, previous), ["to"] = Date(request.Profile, extended) }, cancellationToken);
            outbox.Enqueue(db, "request-extended", Recipient(request), request.Id, Values(request));
        }, cancellationToken);

    public Task<WorkflowResult> CompleteAsync(Guid id, string? exceptionsNote, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(!Fulfilment.FulfilmentScheduler.IsAutomated(request) || request.Status != RequestStatus.Fulfilling,
                "The portal carries out this export or deletion itself and completes the request when it is done.");
            var from = PortalText.IsBlank(exceptionsNote) ? request.Complete(now) : request.CompleteWithExceptions(exceptionsNote, now);
            await StatusChangedAsync(db, actor, request, from, "request-completed", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>Closes a fake or mass-templated request without a reply; the reason is audited by code only.</summary>
    public Task<WorkflowResult> MarkAsSpamAsync(Guid id, string reason, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: false, async (db, request, now) =>
        {
            var from = request.MarkAsSpam(reason, now);
            await StatusChangedAsync(db, actor, request, from, template: null, cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> WithdrawAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(!actor.IsStaff, "Only the requester can withdraw a request.");
            var from = request.Withdraw(now);
            await StatusChangedAsync(db, actor, request, from, "request-withdrawn", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>Shows an agent the requester's contact details; every reveal is audited.</summary>
    public async Task<WorkflowResult> RecordRevealAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default) =>
        await StaffActAsync(id, actor, expectedVersion: null, requireAssignee: false, async (db, request, _) =>
        {
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.PersonalDataRevealed, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["fields"] = "email,phone" }, cancellationToken);
        }, cancellationToken, publish: false);
}
