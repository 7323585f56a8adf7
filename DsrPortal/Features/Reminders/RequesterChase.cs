using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Reminders;

/// <summary>
/// Requests waiting on their requester's answer: reminded on the configured days after the agent's question, and
/// closed as "no answer" when the period runs out, each step audited and told to the requester. Each request moves
/// in its own transaction through the request's own rules, so an answer arriving meanwhile wins.
/// </summary>
internal sealed class RequesterChase(RequestUnitOfWork work, IStringLocalizer<SharedResource> localizer)
{
    /// <returns>How many requests were reminded and how many closed.</returns>
    public async Task<(int Reminded, int Closed)> ChaseAsync(IReadOnlyList<int> reminderDays, int closeAfterDays, CancellationToken cancellationToken = default)
    {
        var now = work.Now;
        var schedule = new ChaseSchedule(reminderDays, closeAfterDays);
        var firstStep = schedule.DueBefore(now);
        List<(Guid Id, DateTimeOffset AskedAt, int Reminders)> waiting;
        await using (var db = await work.CreateDbContextAsync(cancellationToken))
        {
            waiting = [.. (await db.Requests.AsNoTracking()
                .Where(r => r.Status == RequestStatus.AwaitingRequester && r.PausedAt != null && r.PausedAt <= firstStep)
                .OrderBy(r => r.PausedAt).Take(500)
                .Select(r => new { r.Id, r.PausedAt, r.RequesterReminders })
                .ToListAsync(cancellationToken)).Select(r => (r.Id, r.PausedAt!.Value, r.RequesterReminders))];
        }

        int reminded = 0, closed = 0;
        foreach (var (id, askedAt, reminders) in waiting)
        {
            switch (schedule.Next(now - askedAt, reminders))
            {
                case ChaseStep.Close:
                    closed += (await CloseAsync(id, closeAfterDays, cancellationToken)).Succeeded ? 1 : 0;
                    break;
                case ChaseStep.Remind:
                    reminded += (await RemindAsync(id, askedAt, closeAfterDays, cancellationToken)).Succeeded ? 1 : 0;
                    break;
            }
        }

        return (reminded, closed);
    }

    private Task<WorkflowResult> RemindAsync(Guid id, DateTimeOffset askedAt, int closeAfterDays, CancellationToken cancellationToken) =>
        work.ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            request.RemindRequester(now);
            await work.AuditAsync(db, RequestActor.System, AuditActions.RequestRequesterReminded, request,
                new Dictionary<string, string?> { ["reminder"] = request.RequesterReminders.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
            var values = work.Values(request);
            values["CloseDate"] = work.Date(request.Profile, askedAt.AddDays(closeAfterDays));
            work.Notify(db, "request-info-reminder", RequestUnitOfWork.Recipient(request), request, values);
        }, cancellationToken, publish: true);

    private Task<WorkflowResult> CloseAsync(Guid id, int closeAfterDays, CancellationToken cancellationToken) =>
        work.ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            var culture = await db.Users.Where(u => u.Id == RequestUnitOfWork.Recipient(request)).Select(u => u.PreferredCulture).SingleOrDefaultAsync(cancellationToken);
            string explanation;
            using (PortalCultures.Use(culture ?? PortalCultures.English))
            {
                explanation = localizer["We asked you a question about this request and had no answer within {0} days, so we closed it. You can make a new request at any time.", closeAfterDays];
            }

            var from = request.CloseUnanswered(explanation, now);
            await work.StatusChangedAsync(db, RequestActor.System, request, from, "request-refused",
                new Dictionary<string, string?> { ["reason"] = RefusalReason.NoAnswer.ToString() }, cancellationToken);
        }, cancellationToken);
}
