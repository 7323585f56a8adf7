using DsrPortal.Data;
using DsrPortal.Features.Agents;
using DsrPortal.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Requests;

/// <summary>Requests an authorized agent made: the person's own answer, and the permission document's end.</summary>
internal sealed partial class RequestWorkflow
{
    /// <summary>
    /// The person the request is about answers, through the link sent to their own address or number: they
    /// authorized the agent (the request joins the queue) or they did not (it closes, and the agent is told).
    /// </summary>
    public Task<WorkflowResult> AnswerAgentAsync(Guid id, string subjectId, bool confirmed, bool deliverToAgent, CancellationToken cancellationToken = default) =>
        ActAsync(id, new RequestActor(subjectId, Accounts.PortalRoles.Subject), expectedVersion: null, async (db, request, now) =>
        {
            var authorization = await db.AgentAuthorizations.SingleOrDefaultAsync(a => a.RequestId == id, cancellationToken);
            Require(authorization is not null && request.SubjectId == subjectId && request.Relation == RequesterRelation.AuthorizedAgent,
                "This request does not exist, or it is not yours.");
            Require(authorization!.Consent == AgentConsent.Pending && request.Status == RequestStatus.AwaitingVerification,
                "You have already answered about this request.");
            authorization.Consent = confirmed ? AgentConsent.Confirmed : AgentConsent.Denied;
            authorization.DeliverToAgent = confirmed && deliverToAgent;
            authorization.DecidedAt = now;
            var actor = new RequestActor(subjectId, Accounts.PortalRoles.Subject);
            await audit.AppendAsync(db, actor.ForAudit, confirmed ? AuditActions.AgentConfirmed : AuditActions.AgentDenied, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["deliverTo"] = authorization.DeliverToAgent ? "agent" : "subject" }, cancellationToken);
            if (confirmed)
            {
                var from = request.Verify(Verification.VerificationLabels.AgentConfirmed, now);
                await StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
                return;
            }

            string explanation;
            var culture = await db.Users.Where(u => u.Id == request.RequesterId).Select(u => u.PreferredCulture).SingleOrDefaultAsync(cancellationToken);
            using (Localization.PortalCultures.Use(culture))
            {
                explanation = localizer["The person this request is about told us they did not ask you to act for them, so we will not act on it."];
            }

            var refused = request.Refuse(RefusalReason.IdentityNotVerified, explanation, bySupervisor: false, now);
            await StatusChangedAsync(db, actor, request, refused, "request-refused",
                new Dictionary<string, string?> { ["reason"] = RefusalReason.IdentityNotVerified.ToString() }, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// After each move of an agent's request: once staff approve it or it closes, the permission document has
    /// served its purpose and is deleted (only the decision stays); a finished export the agent may not receive
    /// is announced to the person it is about, who downloads it.
    /// </summary>
    private async Task AgentRequestMovedAsync(ApplicationDbContext db, RequestActor actor, DataSubjectRequest request, string? template, CancellationToken cancellationToken)
    {
        var authorization = await db.AgentAuthorizations.SingleOrDefaultAsync(a => a.RequestId == request.Id, cancellationToken);
        if (authorization is null)
        {
            return;
        }

        if (authorization.ProtectedDocument is not null && (request.Status == RequestStatus.Approved || request.IsClosed))
        {
            authorization.ProtectedDocument = null;
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.AgentDocumentPurged, request.Id, request.SubjectId, cancellationToken: cancellationToken);
        }

        if (template == "request-completed" && request.Type == RequestType.Export && !authorization.DeliverToAgent)
        {
            outbox.Enqueue(db, template, request.SubjectId, request.Id, Values(request));
        }
    }
}
