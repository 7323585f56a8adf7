using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static DsrPortal.Features.Requests.RequestRuleException;
using static DsrPortal.Features.Requests.RequestUnitOfWork;

namespace DsrPortal.Features.Disputes;

/// <summary>
/// Disputes (clause 7): negotiation in the request's thread through proposals the requester accepts or
/// rejects; an accepted one is the settlement and may start a linked deletion; failing that, the
/// dispute closes unresolved with a written notice naming the court route and the regulator.
/// </summary>
internal sealed class DisputeWorkflow(RequestUnitOfWork work, IStringLocalizer<SharedResource> localizer)
{
    public const int EscalateDaysBeforeDue = 3;
    public const int ExplanationMaxLength = 2000;

    /// <summary>How many disputes one escalation round moves in its one transaction.</summary>
    private const int EscalationBatch = 500;

    public Task<WorkflowResult> ProposeAsync(
        Guid id, string text, DeletionScope? deletion, IReadOnlyList<DataCategory> categories, RequestActor actor, int? expectedVersion,
        CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(request.Type == RequestType.Dispute, "Only a dispute is negotiated with proposals.");
            var proposal = DisputeProposal.Make(id, actor.UserId, text, deletion, categories, now);
            var from = request.AskRequester(now);
            await WithdrawOpenProposalAsync(db, id, cancellationToken);
            db.DisputeProposals.Add(proposal);
            AddMessage(db, request, actor, proposal.Text, MessageKind.Proposal, now);
            await work.AuditAsync(db, actor, AuditActions.DisputeProposed, request,
                new Dictionary<string, string?> { ["deletion"] = deletion?.ToString() }, cancellationToken);
            await work.StatusChangedAsync(db, actor, request, from, "dispute-proposal", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// The requester answers the open proposal. Accepted: the dispute is settled, and a deletion it
    /// implies becomes a linked request in the queue, carried out as usual. Rejected: negotiation goes on.
    /// </summary>
    public Task<WorkflowResult> AnswerProposalAsync(Guid id, bool accept, string? comment, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(!actor.IsStaff, "Only the requester can answer a proposal.");
            var proposal = await db.DisputeProposals.SingleOrDefaultAsync(p => p.RequestId == id && p.Status == ProposalStatus.Open, cancellationToken);
            Require(proposal is not null && request.Status == RequestStatus.AwaitingRequester, "There is no proposal waiting for your answer.");
            proposal!.Answered(accept, comment, now);
            if (proposal.Answer is not null)
            {
                AddMessage(db, request, actor, proposal.Answer, MessageKind.Message, now);
            }

            await work.AuditAsync(db, actor, AuditActions.DisputeProposalAnswered, request,
                new Dictionary<string, string?> { ["answer"] = accept ? "Accepted" : "Rejected" }, cancellationToken);
            await work.ResumeClockAsync(db, request, actor, now, cancellationToken);
            if (!accept)
            {
                return;
            }

            if (proposal.Deletion is { } scope)
            {
                var linked = await StartSettlementDeletionAsync(db, request, proposal, scope, actor, now, cancellationToken);
                proposal.Settles(linked.Id);
            }

            var from = request.Settle(proposal.Text, now);
            await work.StatusChangedAsync(db, actor, request, from, "request-completed",
                new Dictionary<string, string?> { ["outcome"] = nameof(DisputeOutcome.Settled) }, cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> EscalateAsync(Guid id, string reason, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, actor, expectedVersion: null, Escalation(reason, actor, cancellationToken), cancellationToken);

    private RequestUnitOfWork.Move Escalation(string reason, RequestActor actor, CancellationToken cancellationToken) => async (db, request, now) =>
    {
        request.Escalate(reason, now);
        await work.AuditAsync(db, actor, AuditActions.DisputeEscalated, request,
            new Dictionary<string, string?> { ["by"] = actor.Role }, cancellationToken);
    };

    /// <summary>Negotiation failed: the requester gets a written notice, in their language, of the court route and the regulator.</summary>
    public Task<WorkflowResult> CloseUnresolvedAsync(Guid id, string explanation, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(!PortalText.IsBlank(explanation), "Explain where the negotiation stopped: the requester reads it with the notice.");
            Require(explanation.Trim().Length <= ExplanationMaxLength, "Keep the explanation to 2000 characters.");
            var culture = await PreferredCultureAsync(db, request.RequesterId, cancellationToken);
            await WithdrawOpenProposalAsync(db, id, cancellationToken);
            var from = request.CloseUnresolved(UnresolvedNotice(explanation.Trim(), culture), now);
            await work.StatusChangedAsync(db, actor, request, from, "dispute-unresolved",
                new Dictionary<string, string?> { ["outcome"] = nameof(DisputeOutcome.Unresolved) }, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Open disputes close to their deadline go to a supervisor; the worker calls this every round. A batch moves
    /// in one transaction, so a wave of disputes costs one commit, not one each.
    /// </summary>
    public Task<int> EscalateDisputesNearDeadlineAsync(CancellationToken cancellationToken = default)
    {
        var soon = work.Now.AddDays(EscalateDaysBeforeDue);
        return work.ActOnEachAsync(
            r => r.Type == RequestType.Dispute && r.EscalatedAt == null && !RequestStatuses.Closed.Contains(r.Status) && r.DueAt <= soon,
            EscalationBatch, Escalation("The deadline is near.", RequestActor.System, cancellationToken), cancellationToken);
    }

    /// <summary>A newer proposal or the end of negotiation replaces whatever proposal was still open.</summary>
    private static Task WithdrawOpenProposalAsync(ApplicationDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.DisputeProposals.Where(p => p.RequestId == id && p.Status == ProposalStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, ProposalStatus.Withdrawn), cancellationToken);

    private async Task<DataSubjectRequest> StartSettlementDeletionAsync(
        ApplicationDbContext db, DataSubjectRequest dispute, DisputeProposal proposal, DeletionScope scope, RequestActor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deletion = work.Receive(new NewRequest
        {
            Type = RequestType.Deletion,
            SubjectId = dispute.SubjectId,
            RequesterId = dispute.RequesterId,
            Relation = dispute.Relation,
            Channel = dispute.Channel,
            DeletionScope = scope,
            Categories = scope == DeletionScope.SelectedCategories ? proposal.CategoryList : null,
            RelatedRequestId = dispute.Id,
            Description = proposal.Text,
        }, now);
        var from = deletion.Verify(Verification.VerificationLabels.Settlement, now);
        db.Requests.Add(deletion);
        await work.AuditReceivedAsync(db, actor, deletion, new Dictionary<string, string?> { ["settles"] = dispute.Id.ToString() }, cancellationToken);
        await work.StatusChangedAsync(db, actor, deletion, from, "request-received", cancellationToken: cancellationToken);
        return deletion;
    }

    private string UnresolvedNotice(string explanation, string? culture)
    {
        using var _ = PortalCultures.Use(culture);
        return string.Join("\n\n",
            localizer["Friendly negotiation has not settled this dispute."].Value,
            explanation,
            localizer["Under clause 7 of the privacy policy, either side may now file a lawsuit with the people's court that has jurisdiction. You may also complain to the cyberspace administration (the Cyberspace Administration of China or its local office), which oversees personal information protection (PIPL Art. 60, 61 and 65)."].Value,
            localizer["You can download the dispute record (timeline, messages, proposals and decisions) from the request page for a court or the regulator."].Value);
    }
}
