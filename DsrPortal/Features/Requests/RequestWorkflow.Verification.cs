using DsrPortal.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Requests;

/// <summary>Requests waiting for their requester to confirm who they are: confirmed, reminded, or closed unverified.</summary>
internal sealed partial class RequestWorkflow
{
    /// <summary>Who confirms a waiting request: the guardian who made it for a minor, otherwise the subject (also when an agent made it).</summary>
    public static string Confirmer(DataSubjectRequest request) =>
        request.Relation == RequesterRelation.Guardian ? request.RequesterId : request.SubjectId;

    /// <summary>
    /// The requester proved it is them, now (a fresh code): the request joins the queue. The proof itself is
    /// checked by the caller (<see cref="Verification.RequestStepUp"/>); this records it on the request and in the trail.
    /// </summary>
    public Task<WorkflowResult> ConfirmIdentityAsync(Guid id, string method, RequestActor actor, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(!actor.IsStaff && Confirmer(request) == actor.UserId, "Only the person who made the request can confirm who they are.");
            Require(request.Status == RequestStatus.AwaitingVerification, "This request is not waiting for you to confirm who you are.");
            // An agent's request opens only on the person's answer about the agent (AgentConsents), never on a code alone.
            Require(request.Relation != RequesterRelation.AuthorizedAgent || method == Verification.VerificationLabels.AgentConfirmed,
                "This request was made by someone acting for you: answer through the link we sent you.");
            var from = request.Verify(method, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestStepUp, request.Id, request.SubjectId,
                new Dictionary<string, string?>
                {
                    ["method"] = method == Verification.VerificationLabels.Authenticator ? "authenticator"
                        : method == Verification.VerificationLabels.EmailCode ? "email-code" : "sms-code",
                },
                cancellationToken);
            await StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>A person just proved their mobile number with a fresh code: that confirms every request waiting on them.</summary>
    public async Task<int> ConfirmWaitingAfterProofAsync(string userId, CancellationToken cancellationToken = default)
    {
        List<Guid> waiting;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            waiting = await db.Requests.AsNoTracking()
                .Where(r => r.Status == RequestStatus.AwaitingVerification && r.Relation != RequesterRelation.AuthorizedAgent
                    && (r.Relation == RequesterRelation.Guardian ? r.RequesterId == userId : r.SubjectId == userId))
                .Select(r => r.Id)
                .ToListAsync(cancellationToken);
        }

        var actor = new RequestActor(userId, Accounts.PortalRoles.Subject);
        var confirmed = 0;
        foreach (var id in waiting)
        {
            confirmed += (await ConfirmIdentityAsync(id, Verification.VerificationLabels.SmsCode, actor, cancellationToken)).Succeeded ? 1 : 0;
        }

        return confirmed;
    }

    /// <summary>
    /// Reminds requesters who have not confirmed who they are, once per reminder day, and closes requests
    /// still unconfirmed after <paramref name="closeAfterDays"/> as "identity not verified", with notice.
    /// </summary>
    /// <returns>How many requests were reminded and how many closed.</returns>
    public async Task<(int Reminded, int Closed)> ChaseUnverifiedAsync(IReadOnlyList<int> reminderDays, int closeAfterDays, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, DateTimeOffset ReceivedAt, int Reminders, bool ByAgent)> waiting;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var firstReminder = now.AddDays(-reminderDays.DefaultIfEmpty(closeAfterDays).Min());
            waiting = [.. (await db.Requests.AsNoTracking()
                .Where(r => r.Status == RequestStatus.AwaitingVerification && r.ReceivedAt <= firstReminder)
                .OrderBy(r => r.ReceivedAt).Take(500)
                .Select(r => new { r.Id, r.ReceivedAt, r.VerificationReminders, ByAgent = r.Relation == RequesterRelation.AuthorizedAgent })
                .ToListAsync(cancellationToken)).Select(r => (r.Id, r.ReceivedAt, r.VerificationReminders, r.ByAgent))];
        }

        int reminded = 0, closed = 0;
        foreach (var (id, receivedAt, reminders, byAgent) in waiting)
        {
            var age = now - receivedAt;
            if (age >= TimeSpan.FromDays(closeAfterDays))
            {
                closed += (await CloseUnverifiedAsync(id, closeAfterDays, cancellationToken)).Succeeded ? 1 : 0;
            }
            else if (!byAgent && reminders < reminderDays.Count(d => age >= TimeSpan.FromDays(d)))
            {
                reminded += (await RemindToVerifyAsync(id, closeAfterDays, cancellationToken)).Succeeded ? 1 : 0;
            }
        }

        return (reminded, closed);
    }

    private Task<WorkflowResult> RemindToVerifyAsync(Guid id, int closeAfterDays, CancellationToken cancellationToken) =>
        ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            request.RemindToVerify(now);
            await audit.AppendAsync(db, AuditActor.System, AuditActions.RequestVerificationReminded, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["reminder"] = request.VerificationReminders.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
            var values = Values(request);
            values["CloseDate"] = Date(request.ReceivedAt.AddDays(closeAfterDays));
            outbox.Enqueue(db, "request-confirm-reminder", Recipient(request), request.Id, values);
        }, cancellationToken, publish: false);

    private Task<WorkflowResult> CloseUnverifiedAsync(Guid id, int closeAfterDays, CancellationToken cancellationToken) =>
        ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            var culture = await db.Users.Where(u => u.Id == Recipient(request)).Select(u => u.PreferredCulture).SingleOrDefaultAsync(cancellationToken);
            string explanation;
            using (Localization.PortalCultures.Use(culture))
            {
                explanation = request.Relation == RequesterRelation.AuthorizedAgent
                    ? localizer["The person this request is about did not confirm within {0} days that you act for them, so we could not act on it.", closeAfterDays]
                    : localizer["You did not confirm who you are within {0} days, so we could not act on this request. You can make a new request at any time.", closeAfterDays];
            }

            var from = request.Refuse(RefusalReason.IdentityNotVerified, explanation, bySupervisor: false, now);
            await StatusChangedAsync(db, RequestActor.System, request, from, "request-refused",
                new Dictionary<string, string?> { ["reason"] = RefusalReason.IdentityNotVerified.ToString() }, cancellationToken);
        }, cancellationToken);
}
