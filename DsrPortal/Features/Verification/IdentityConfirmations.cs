using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static DsrPortal.Features.Requests.RequestRuleException;
using static DsrPortal.Features.Requests.RequestUnitOfWork;

namespace DsrPortal.Features.Verification;

/// <summary>Requests waiting for their requester to confirm who they are: confirmed, reminded, or closed unverified.</summary>
internal sealed class IdentityConfirmations(RequestUnitOfWork work, IStringLocalizer<SharedResource> localizer)
{
    /// <summary>Who confirms a waiting request: the guardian who made it for a minor, otherwise the subject (also when an agent made it).</summary>
    public static string Confirmer(DataSubjectRequest request) =>
        request.Relation == RequesterRelation.Guardian ? request.RequesterId : request.SubjectId;

    /// <summary>
    /// The requester proved it is them, now (a fresh code): the request joins the queue. The proof itself is
    /// checked by the caller (<see cref="RequestStepUp"/>); this records it on the request and in the trail.
    /// </summary>
    public Task<WorkflowResult> ConfirmAsync(Guid id, string method, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(!actor.IsStaff && Confirmer(request) == actor.UserId, "Only the person who made the request can confirm who they are.");
            Require(request.Status == RequestStatus.AwaitingVerification, "This request is not waiting for you to confirm who you are.");
            // An agent's request opens only on the person's answer about the agent (AgentRequests), never on a code alone.
            Require(request.Relation != RequesterRelation.AuthorizedAgent || method == VerificationLabels.AgentConfirmed,
                "This request was made by someone acting for you: answer through the link we sent you.");
            var from = request.Verify(method, now);
            await work.AuditAsync(db, actor, AuditActions.RequestStepUp, request, new Dictionary<string, string?>
            {
                ["method"] = method == VerificationLabels.Authenticator ? "authenticator"
                    : method == VerificationLabels.EmailCode ? "email-code" : "sms-code",
            }, cancellationToken);
            await work.StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>A person just proved their mobile number with a fresh code: that confirms every request waiting on them.</summary>
    public async Task<int> ConfirmWaitingAfterProofAsync(string userId, CancellationToken cancellationToken = default)
    {
        List<Guid> waiting;
        await using (var db = await work.CreateDbContextAsync(cancellationToken))
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
            confirmed += (await ConfirmAsync(id, VerificationLabels.SmsCode, actor, cancellationToken)).Succeeded ? 1 : 0;
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
        var now = work.Now;
        var schedule = new ChaseSchedule(reminderDays, closeAfterDays);
        List<(Guid Id, DateTimeOffset ReceivedAt, int Reminders, bool ByAgent)> waiting;
        await using (var db = await work.CreateDbContextAsync(cancellationToken))
        {
            var firstReminder = schedule.DueBefore(now);
            waiting = [.. (await db.Requests.AsNoTracking()
                .Where(r => r.Status == RequestStatus.AwaitingVerification && r.ReceivedAt <= firstReminder)
                .OrderBy(r => r.ReceivedAt).Take(500)
                .Select(r => new { r.Id, r.ReceivedAt, r.VerificationReminders, ByAgent = r.Relation == RequesterRelation.AuthorizedAgent })
                .ToListAsync(cancellationToken)).Select(r => (r.Id, r.ReceivedAt, r.VerificationReminders, r.ByAgent))];
        }

        int reminded = 0, closed = 0;
        foreach (var (id, receivedAt, reminders, byAgent) in waiting)
        {
            switch (schedule.Next(now - receivedAt, reminders))
            {
                case ChaseStep.Close:
                    closed += (await CloseUnverifiedAsync(id, closeAfterDays, cancellationToken)).Succeeded ? 1 : 0;
                    break;
                // The person an authorized agent names is asked through their own address, not reminded here.
                case ChaseStep.Remind when !byAgent:
                    reminded += (await RemindAsync(id, closeAfterDays, cancellationToken)).Succeeded ? 1 : 0;
                    break;
            }
        }

        return (reminded, closed);
    }

    private Task<WorkflowResult> RemindAsync(Guid id, int closeAfterDays, CancellationToken cancellationToken) =>
        work.ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            request.RemindToVerify(now);
            await work.AuditAsync(db, RequestActor.System, AuditActions.RequestVerificationReminded, request,
                new Dictionary<string, string?> { ["reminder"] = request.VerificationReminders.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
            var values = work.Values(request);
            values["CloseDate"] = work.Date(request.Profile, request.ReceivedAt.AddDays(closeAfterDays));
            work.Notify(db, "request-confirm-reminder", Recipient(request), request, values);
        }, cancellationToken, publish: false);

    private Task<WorkflowResult> CloseUnverifiedAsync(Guid id, int closeAfterDays, CancellationToken cancellationToken) =>
        work.ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            string explanation;
            using (PortalCultures.Use(await PreferredCultureAsync(db, Recipient(request), cancellationToken)))
            {
                explanation = request.Relation == RequesterRelation.AuthorizedAgent
                    ? localizer["The person this request is about did not confirm within {0} days that you act for them, so we could not act on it.", closeAfterDays]
                    : localizer["You did not confirm who you are within {0} days, so we could not act on this request. You can make a new request at any time.", closeAfterDays];
            }

            var from = request.Refuse(RefusalReason.IdentityNotVerified, explanation, bySupervisor: false, now);
            await work.StatusChangedAsync(db, RequestActor.System, request, from, "request-refused",
                new Dictionary<string, string?> { ["reason"] = RefusalReason.IdentityNotVerified.ToString() }, cancellationToken);
        }, cancellationToken);
}
