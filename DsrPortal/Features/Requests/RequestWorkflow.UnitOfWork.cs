using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests;

/// <summary>The unit of work under every use case: load, authorize, apply, save with its audit and emails, retry lost races.</summary>
internal sealed partial class RequestWorkflow
{
    private Task<WorkflowResult> StaffActAsync(
        Guid id, RequestActor actor, int? expectedVersion, bool requireAssignee,
        Func<ApplicationDbContext, DataSubjectRequest, DateTimeOffset, Task> action, CancellationToken cancellationToken, bool publish = true) =>
        ActAsync(id, actor, expectedVersion, async (db, request, now) =>
        {
            Require(actor.IsStaff, "Only customer-service staff can do this.");
            Require(!requireAssignee || request.AssigneeId == actor.UserId || actor.IsSupervisor, "Claim the request before acting on it.");
            await action(db, request, now);
        }, cancellationToken, publish);

    private async Task<WorkflowResult> ActAsync(
        Guid id, RequestActor actor, int? expectedVersion,
        Func<ApplicationDbContext, DataSubjectRequest, DateTimeOffset, Task> action, CancellationToken cancellationToken, bool publish = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            // Opened first: the request and the audit chain's head are read inside the writing transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (request is null || !await CanSeeAsync(actor, request, cancellationToken))
            {
                return WorkflowResult.NotFound();
            }

            if (expectedVersion is not null && request.Version != expectedVersion)
            {
                return WorkflowResult.Conflict();
            }

            try
            {
                await action(db, request, clock.GetUtcNow());
            }
            catch (RequestRuleException e)
            {
                return WorkflowResult.Rule(e);
            }

            switch (await TrySaveAsync(db, transaction, attempt, cancellationToken))
            {
                case SaveOutcome.Saved:
                    if (publish)
                    {
                        notifier.Publish(request.Id);
                    }

                    return new WorkflowResult(request, null);
                case SaveOutcome.GaveUp:
                    return WorkflowResult.Conflict();
            }
        }
    }

    private enum SaveOutcome
    {
        Saved,
        Retry,
        GaveUp,
    }

    /// <summary>
    /// Retry when another writer won the race (the request's version or the audit chain's head moved):
    /// the caller reloads, and a real conflict then shows up as a rule or version error. Any other
    /// database error is a fault, not a race, and is not retried.
    /// </summary>
    private static async Task<SaveOutcome> TrySaveAsync(ApplicationDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return SaveOutcome.Saved;
        }
        catch (DbUpdateException e) when (IsLostRace(e))
        {
            if (attempt >= Attempts)
            {
                return SaveOutcome.GaveUp;
            }

            await Task.Delay(Random.Shared.Next(5, 30) * attempt, cancellationToken);
            return SaveOutcome.Retry;
        }
    }

    private static bool IsLostRace(DbUpdateException e) =>
        e is DbUpdateConcurrencyException
        || e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 or 5 }
        || e.InnerException is Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" };

    /// <summary>Whether this actor may see the request: the same answer the use cases give (staff, subject, requester, verified guardian).</summary>
    public async Task<bool> CanSeeAsync(Guid id, RequestActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is not null && await CanSeeAsync(actor, request, cancellationToken);
    }

    private async Task<bool> CanSeeAsync(RequestActor actor, DataSubjectRequest request, CancellationToken cancellationToken) =>
        actor.IsStaff || actor.IsSystem || request.SubjectId == actor.UserId || request.RequesterId == actor.UserId
        || await guardians.MayActForAsync(actor.UserId, request.SubjectId, cancellationToken);

    /// <summary>Who hears about a request: the guardian or authorized agent who made it, otherwise the subject.</summary>
    private static string Recipient(DataSubjectRequest request) =>
        request.Relation is RequesterRelation.Guardian or RequesterRelation.AuthorizedAgent ? request.RequesterId : request.SubjectId;

    private async Task ResumeClockAsync(ApplicationDbContext db, DataSubjectRequest request, RequestActor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dueAt = deadlines.Resume(request.Profile, request.DueAt, request.ExtendedAt is not null, request.PausedAt ?? now, now);
        var from = request.Resume(dueAt, now, DeadlineCalculator.RestartsOnResume(request.Profile));
        await StatusChangedAsync(db, actor, request, from, cancellationToken: cancellationToken);
    }

    private async Task StatusChangedAsync(
        ApplicationDbContext db, RequestActor actor, DataSubjectRequest request, RequestStatus from, string? template = null,
        Dictionary<string, string?>? extra = null, CancellationToken cancellationToken = default)
    {
        var details = new Dictionary<string, string?>(extra ?? []) { ["from"] = from.ToString(), ["to"] = request.Status.ToString() };
        await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestStatusChanged, request.Id, request.SubjectId, details, cancellationToken);
        if (template is not null)
        {
            outbox.Enqueue(db, template, Recipient(request), request.Id, Values(request));
        }

        if (request.Relation == RequesterRelation.AuthorizedAgent)
        {
            await AgentRequestMovedAsync(db, actor, request, template, cancellationToken);
        }
    }

    private static void AddMessage(ApplicationDbContext db, DataSubjectRequest request, RequestActor actor, string body, MessageKind kind, DateTimeOffset now) =>
        db.RequestMessages.Add(new RequestMessage { RequestId = request.Id, AuthorId = actor.UserId, AuthorRole = actor.Role, Body = body, Kind = kind, SentAt = now });

    private static string MessageBody(string? text)
    {
        Require(!PortalText.IsBlank(text), "Write a message first.");
        Require(PortalText.IsClean(text), PortalText.ControlCharacters);
        Require(text!.Trim().Length <= RequestMessage.BodyMaxLength, "The message is too long: at most 4000 characters.");
        return text.Trim();
    }

    private static async Task<bool> IsStaffAsync(ApplicationDbContext db, string userId, CancellationToken cancellationToken) =>
        await (from userRole in db.UserRoles
               join role in db.Roles on userRole.RoleId equals role.Id
               where userRole.UserId == userId && (role.Name == Accounts.PortalRoles.Agent || role.Name == Accounts.PortalRoles.Supervisor)
               select userRole).AnyAsync(cancellationToken);

    /// <summary>What request emails may say: the reference, dates and codes; the renderer localizes the codes.</summary>
    private Dictionary<string, string> Values(DataSubjectRequest request)
    {
        var values = new Dictionary<string, string>
        {
            // The sender fills in the reference: a new request is numbered by the database on save.
            ["TypeKey"] = RequestLabels.Type(request.Type),
            ["StatusKey"] = RequestLabels.Status(request.Status),
            ["DueDate"] = Date(request.Profile, request.DueAt),
        };
        if (request.ExtensionReason is not null)
        {
            values["ExtensionReason"] = request.ExtensionReason;
        }

        if (request.RefusalReason is { } reason)
        {
            values["ReasonKey"] = RequestLabels.Reason(reason);
            values["Explanation"] = request.RefusalExplanation ?? "";
        }

        if (request.OutcomeNote is not null)
        {
            values["OutcomeNote"] = request.OutcomeNote;
        }

        return values;
    }

    private string Date(DateTimeOffset instant) =>
        deadlines.LocalDate(instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A due date, read in its profile's zone: where its day ends.</summary>
    private string Date(DeadlineProfile profile, DateTimeOffset instant) =>
        deadlines.LocalDate(profile, instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static void Require(bool condition, string key)
    {
        if (!condition)
        {
            throw new RequestRuleException(key);
        }
    }
}
