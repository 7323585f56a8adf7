using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Features.Requests.RequestRuleException;
using static DsrPortal.Features.Requests.RequestUnitOfWork;

namespace DsrPortal.Features.Requests;

/// <summary>
/// The request's own lifecycle, for the web pages and the API alike: submit, verify, claim, reassign, ask,
/// message, resume, approve, refuse, extend, complete, withdraw. Each use case is one move on the
/// <see cref="RequestUnitOfWork"/>; the use cases of disputes, corrections, identity confirmation and
/// authorized agents live with their features.
/// </summary>
internal sealed class RequestWorkflow(
    RequestUnitOfWork work,
    DeadlineCalculator deadlines,
    Fulfilment.FulfilmentScheduler fulfilment,
    Guardians.GuardianService guardians,
    Corrections.CorrectionWorkflow corrections,
    Deletion.ChosenItems chosenItems)
{
    /// <param name="alongside">Saved in the same transaction as the request (an authorized agent's permission), given the new request.</param>
    public async Task<WorkflowResult> SubmitAsync(
        NewRequest details, RequestActor actor, string? verificationMethod, CancellationToken cancellationToken = default,
        Func<ApplicationDbContext, DataSubjectRequest, Task>? alongside = null)
    {
        List<Corrections.CorrectionItem> asked;
        IReadOnlyList<(string Source, ItemChoice Choice)> picked;
        try
        {
            details.Validate();
            Require(details.Relation != RequesterRelation.Guardian || await guardians.MayActForAsync(details.RequesterId, details.SubjectId, cancellationToken),
                "You can make requests for a minor only while your guardian link to them is verified.");
            Require(details.Relation != RequesterRelation.Self || details.SubjectId == details.RequesterId, "You can make requests only about your own data.");
            Require(details.Relation != RequesterRelation.AuthorizedAgent || (alongside is not null && details.SubjectId != details.RequesterId),
                "You cannot act as your own authorized agent: make the request for yourself instead.");
            Require(details.Relation != RequesterRelation.Relative || (alongside is not null && details.SubjectId != details.RequesterId),
                "A request about a deceased person is made with the documents that prove the death and the relationship.");
            asked = await corrections.PrepareAsync(details, cancellationToken);
            picked = await chosenItems.PrepareAsync(details, cancellationToken);
        }
        catch (RequestRuleException e)
        {
            return WorkflowResult.Rule(e);
        }

        return await work.CreateAsync(async (db, now) =>
        {
            var request = work.Receive(details, now);
            foreach (var item in asked)
            {
                db.CorrectionItems.Add(item.For(request.Id));
            }

            foreach (var (source, choice) in picked)
            {
                db.ChosenItems.Add(Deletion.ChosenItem.For(request.Id, source, choice.Category, choice.Id));
            }

            var from = verificationMethod is null ? request.AwaitVerification(now) : request.Verify(verificationMethod, now);
            db.Requests.Add(request);
            await work.AuditReceivedAsync(db, actor, request, new Dictionary<string, string?>
            {
                ["checks"] = details.Relation == RequesterRelation.AgentOnBehalf ? Verification.AgentChecks.Codes(details.AgentChecks) : null,
                ["verified"] = verificationMethod is null ? "false" : "true",
            }, cancellationToken);
            // A request that waits for its requester to confirm who they are says so, and how.
            // An authorized agent is told the person must confirm first; the person is asked through their own address.
            var receipt = request.Relation == RequesterRelation.AuthorizedAgent ? "agent-request-received"
                : request.Status == RequestStatus.AwaitingVerification ? "request-confirm-identity" : "request-received";
            await work.StatusChangedAsync(db, actor, request, from, receipt, cancellationToken: cancellationToken);
            if (alongside is not null)
            {
                await alongside(db, request);
            }

            if (request.Relation == RequesterRelation.Guardian)
            {
                // The minor is told that a request about their data was made for them.
                work.Notify(db, "request-made-for-you", request.SubjectId, request);
            }

            return request;
        }, cancellationToken);
    }

    public Task<WorkflowResult> VerifyAsync(Guid id, string method, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: false, async (db, request, now) =>
        {
            Require(!PortalText.IsBlank(method), "Say how the requester's identity was checked.");
            var from = request.Verify(method.Trim(), now);
            await work.StatusChangedAsync(db, actor, request, from, cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> ClaimAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion: null, requireAssignee: false, async (db, request, now) =>
        {
            var from = request.Claim(actor.UserId, now);
            await work.AuditAsync(db, actor, AuditActions.RequestClaimed, request, cancellationToken: cancellationToken);
            await work.StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> ReassignAsync(Guid id, string agentId, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: false, async (db, request, now) =>
        {
            Require(actor.IsSupervisor, "Only a supervisor can reassign a request.");
            Require(await Staff.StaffDirectory.IsStaffAsync(db, agentId, cancellationToken), "Choose an agent or supervisor to assign the request to.");
            var before = request.Status;
            request.Reassign(agentId, now);
            await work.AuditAsync(db, actor, AuditActions.RequestReassigned, request,
                new Dictionary<string, string?> { ["to"] = agentId }, cancellationToken);
            if (before != request.Status)
            {
                await work.StatusChangedAsync(db, actor, request, before, cancellationToken: cancellationToken);
            }
        }, cancellationToken);

    public Task<WorkflowResult> AskRequesterAsync(Guid id, string question, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            var body = MessageBody(question);
            var from = request.AskRequester(now);
            AddMessage(db, request, actor, body, MessageKind.InformationRequest, now);
            await work.AuditAsync(db, actor, AuditActions.RequestMessage, request,
                new Dictionary<string, string?> { ["kind"] = MessageKind.InformationRequest.ToString() }, cancellationToken);
            await work.StatusChangedAsync(db, actor, request, from, "request-info-needed", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>A message on the thread. A requester's reply to a question also restarts the paused clock.</summary>
    public Task<WorkflowResult> PostMessageAsync(Guid id, string text, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            var body = MessageBody(text);
            Require(!actor.IsStaff || request.AssigneeId == actor.UserId || actor.IsSupervisor, "Claim the request before writing to the requester.");
            request.RecordMessage(now);
            AddMessage(db, request, actor, body, MessageKind.Message, now);
            await work.AuditAsync(db, actor, AuditActions.RequestMessage, request,
                new Dictionary<string, string?> { ["kind"] = MessageKind.Message.ToString() }, cancellationToken);
            if (actor.IsStaff)
            {
                work.Notify(db, "request-message", Recipient(request), request);
            }
            else if (request.Status == RequestStatus.AwaitingRequester)
            {
                await work.ResumeClockAsync(db, request, actor, now, cancellationToken);
            }
        }, cancellationToken);

    public Task<WorkflowResult> ResumeAsync(Guid id, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true,
            (db, request, now) => work.ResumeClockAsync(db, request, actor, now, cancellationToken), cancellationToken);

    /// <summary>
    /// Approves and starts fulfilment. Exports and deletions by category are queued for the fulfilment
    /// worker (a log-off after its cooling-off period); anything else the agent carries out and completes.
    /// </summary>
    public Task<WorkflowResult> ApproveAsync(Guid id, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(request.Type != RequestType.Dispute, "A dispute ends with a settlement the requester accepts, or as unresolved with a written notice.");
            Require(!await db.CorrectionItems.AnyAsync(c => c.RequestId == request.Id, cancellationToken),
                "Decide each field of this correction instead: accepted values are applied and the requester is told field by field.");
            var from = request.Approve(now);
            await work.StatusChangedAsync(db, actor, request, from, cancellationToken: cancellationToken);
            from = request.StartFulfilment(now);
            await work.StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
            if (fulfilment.Schedule(db, request, now) is { } job)
            {
                await work.AuditAsync(db, actor, AuditActions.FulfilmentScheduled, request, new Dictionary<string, string?>
                {
                    ["kind"] = job.Kind.ToString(),
                    ["notBefore"] = work.Date(job.NotBefore),
                }, cancellationToken);
            }
        }, cancellationToken);

    public Task<WorkflowResult> RefuseAsync(Guid id, RefusalReason reason, string explanation, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            var from = request.Refuse(reason, explanation, actor.IsSupervisor, now);
            await work.StatusChangedAsync(db, actor, request, from, "request-refused",
                new Dictionary<string, string?> { ["reason"] = reason.ToString() }, cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> ExtendAsync(Guid id, string reason, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            // The profile's extended deadline, with the time the clock stood still given back the profile's way.
            var extended = deadlines.Extend(
                request.Profile, request.ReceivedAt, request.ClockRestartedAt ?? request.ReceivedAt, request.OriginalDueAt, request.DueAt);
            var previous = request.DueAt;
            request.Extend(reason, extended, now);
            await work.AuditAsync(db, actor, AuditActions.RequestExtended, request,
                new Dictionary<string, string?> { ["from"] = work.Date(request.Profile, previous), ["to"] = work.Date(request.Profile, extended) }, cancellationToken);
            work.Notify(db, "request-extended", Recipient(request), request);
        }, cancellationToken);

    public Task<WorkflowResult> CompleteAsync(Guid id, string? exceptionsNote, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(!Fulfilment.FulfilmentScheduler.IsAutomated(request) || request.Status != RequestStatus.Fulfilling,
                "The portal carries out this export or deletion itself and completes the request when it is done.");
            var from = PortalText.IsBlank(exceptionsNote) ? request.Complete(now) : request.CompleteWithExceptions(exceptionsNote, now);
            await work.StatusChangedAsync(db, actor, request, from, "request-completed", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>Closes a fake or mass-templated request without a reply; the reason is audited by code only.</summary>
    public Task<WorkflowResult> MarkAsSpamAsync(Guid id, string reason, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: false, async (db, request, now) =>
        {
            var from = request.MarkAsSpam(reason, now);
            await work.StatusChangedAsync(db, actor, request, from, template: null, cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> WithdrawAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(!actor.IsStaff, "Only the requester can withdraw a request.");
            var from = request.Withdraw(now);
            await work.StatusChangedAsync(db, actor, request, from, "request-withdrawn", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>Shows an agent the requester's contact details; every reveal is audited.</summary>
    public async Task<WorkflowResult> RecordRevealAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default) =>
        await work.StaffActAsync(id, actor, expectedVersion: null, requireAssignee: false, async (db, request, _) =>
        {
            await work.AuditAsync(db, actor, AuditActions.PersonalDataRevealed, request,
                new Dictionary<string, string?> { ["fields"] = "email,phone" }, cancellationToken);
        }, cancellationToken, publish: false);
}
