using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Requests;

/// <summary>
/// The unit of work under every use case on a request, whichever feature owns it: load the request,
/// check who is asking (<see cref="RequestAccess"/>), apply one move, and save it with its audit events
/// and emails in one transaction. A lost race is retried against fresh data, so the loser is told what
/// changed instead of seeing an error page.
/// </summary>
internal sealed class RequestUnitOfWork(
    IDbContextFactory<ApplicationDbContext> contexts,
    RequestAccess access,
    DeadlineCalculator deadlines,
    AuditWriter audit,
    Outbox outbox,
    RequestChangeNotifier notifier,
    GroupCommit groups,
    TimeProvider clock,
    ILogger<RequestUnitOfWork> logger)
{
    private const int Attempts = 4;

    public delegate Task Move(ApplicationDbContext db, DataSubjectRequest request, DateTimeOffset now);

    public DateTimeOffset Now => clock.GetUtcNow();

    public Task<ApplicationDbContext> CreateDbContextAsync(CancellationToken cancellationToken) => contexts.CreateDbContextAsync(cancellationToken);

    /// <summary>A move only staff may make; with <paramref name="requireAssignee"/>, only the agent who claimed the request (or a supervisor).</summary>
    public Task<WorkflowResult> StaffActAsync(
        Guid id, RequestActor actor, int? expectedVersion, bool requireAssignee, Move move, CancellationToken cancellationToken, bool publish = true) =>
        ActAsync(id, actor, expectedVersion, async (db, request, now) =>
        {
            Require(actor.IsStaff, "Only customer-service staff can do this.");
            Require(!requireAssignee || request.AssigneeId == actor.UserId || actor.IsSupervisor, "Claim the request before acting on it.");
            await move(db, request, now);
        }, cancellationToken, publish);

    /// <summary>A move on an existing request by anyone the access policy lets act on it.</summary>
    public Task<WorkflowResult> ActAsync(
        Guid id, RequestActor actor, int? expectedVersion, Move move, CancellationToken cancellationToken, bool publish = true) =>
        RunAsync(async (db, now) =>
        {
            var request = await access.FindAsync(db, id, actor, RequestAccessRule.PartyOrStaff, cancellationToken);
            if (request is null)
            {
                return Attempt.Answer(WorkflowResult.NotFound());
            }

            if (expectedVersion is not null && request.Version != expectedVersion)
            {
                return Attempt.Answer(WorkflowResult.Conflict());
            }

            var before = request.Snapshot();
            try
            {
                await move(db, request, now);
            }
            catch (RequestRuleException e)
            {
                return Attempt.Answer(WorkflowResult.Rule(e));
            }

            return Attempt.Save(new WorkflowResult(request, null), publish ? [new RequestChange(request.Id, before, request.Snapshot())] : []);
        }, WorkflowResult.Conflict, cancellationToken);

    /// <summary>
    /// The portal's own move on every request that matches (at most <paramref name="limit"/>), in one transaction:
    /// one commit for the lot instead of one each. A request the move refuses is left as it was; the rest are saved.
    /// The move must refuse before it changes or audits anything (as the entities' methods do), or its part-made
    /// changes would be saved with the batch.
    /// </summary>
    /// <returns>How many requests moved.</returns>
    public Task<int> ActOnEachAsync(
        System.Linq.Expressions.Expression<Func<DataSubjectRequest, bool>> which, int limit, Move move, CancellationToken cancellationToken) =>
        RunAsync(async (db, now) =>
        {
            var requests = await db.Requests.Where(which).OrderBy(r => r.Number).Take(limit).ToListAsync(cancellationToken);
            var moved = new List<RequestChange>();
            foreach (var request in requests)
            {
                var before = request.Snapshot();
                try
                {
                    await move(db, request, now);
                    moved.Add(new RequestChange(request.Id, before, request.Snapshot()));
                }
                catch (RequestRuleException)
                {
                    // Entities check before they change anything: this one simply stays as it was.
                }
            }

            return moved.Count == 0 ? Attempt.Answer(0) : Attempt.Save(moved.Count, moved);
        }, () =>
        {
            logger.LogWarning("A batch of request moves lost its race {Attempts} times; the next round tries again", Attempts);
            return 0;
        }, cancellationToken);

    /// <summary>A new request: <paramref name="create"/> builds it and adds it with whatever goes along, inside the transaction.</summary>
    public Task<WorkflowResult> CreateAsync(
        Func<ApplicationDbContext, DateTimeOffset, Task<DataSubjectRequest>> create, CancellationToken cancellationToken) =>
        RunAsync(async (db, now) =>
        {
            try
            {
                var request = await create(db, now);
                return Attempt.Save(new WorkflowResult(request, null), [new RequestChange(request.Id, null, request.Snapshot())]);
            }
            catch (RequestRuleException e)
            {
                return Attempt.Answer(WorkflowResult.Rule(e));
            }
        }, WorkflowResult.Conflict, cancellationToken);

    /// <summary>What one attempt decided: answer without saving, or save and then answer, telling open pages what changed.</summary>
    private readonly record struct Attempt<T>(T Result, bool Saves, IReadOnlyList<RequestChange> Changed);

    private static class Attempt
    {
        public static Attempt<T> Answer<T>(T result) => new(result, false, []);

        public static Attempt<T> Save<T>(T result, IReadOnlyList<RequestChange> changed) => new(result, true, changed);
    }

    /// <summary>
    /// The one transaction loop. Each attempt runs in the next commit group (<see cref="GroupCommit"/>): inside the
    /// writing transaction, so the request and the audit chain's head are read where they are written, and answered
    /// only after the commit. Another writer winning the race, whether at the save or inside the move
    /// (<see cref="LostRaces"/>), means a retry against fresh data, so a real conflict then shows up as a rule or
    /// version error. Any other error is a fault and is not retried.
    /// </summary>
    private async Task<T> RunAsync<T>(
        Func<ApplicationDbContext, DateTimeOffset, Task<Attempt<T>>> attempt, Func<T> gaveUp, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            var outcome = await groups.RunAsync(async db =>
            {
                // The unit's own clock, read when its turn comes: the demo seeder runs units on a clock set back.
                var decided = await attempt(db, clock.GetUtcNow());
                return new GroupWork<Attempt<T>>(decided, decided.Saves);
            }, cancellationToken);
            if (outcome.LostRace)
            {
                if (round >= Attempts)
                {
                    return gaveUp();
                }

                // A few real milliseconds apart, so the racers do not collide again; not portal time, which a test may stop.
                await Task.Delay(Random.Shared.Next(5, 30) * round, cancellationToken);
                continue;
            }

            foreach (var change in outcome.Result.Changed)
            {
                notifier.Publish(change);
            }

            return outcome.Result.Result;
        }
    }

    /// <summary>A new request, received now under the deployment's deadline profile.</summary>
    public DataSubjectRequest Receive(NewRequest details, DateTimeOffset now)
    {
        var profile = deadlines.DefaultProfile;
        return DataSubjectRequest.Submit(details, now, profile, deadlines.DueAt(profile, now));
    }

    /// <summary>Audits a request's arrival: what it asks, how it came, under which profile and when it is due.</summary>
    public Task AuditReceivedAsync(
        ApplicationDbContext db, RequestActor actor, DataSubjectRequest request, Dictionary<string, string?> extra, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, string?>
        {
            ["type"] = request.Type.ToString(),
            ["channel"] = request.Channel.ToString(),
            ["relation"] = request.Relation.ToString(),
            ["profile"] = request.Profile.ToString(),
            ["due"] = Date(request.Profile, request.DueAt),
        };
        foreach (var (key, value) in extra)
        {
            details[key] = value;
        }

        return AuditAsync(db, actor, AuditActions.RequestSubmitted, request, details, cancellationToken);
    }

    /// <summary>Who hears about a request: the guardian, authorized agent or relative of a deceased subject who made it, otherwise the subject.</summary>
    public static string Recipient(DataSubjectRequest request) =>
        request.Relation is RequesterRelation.Guardian or RequesterRelation.AuthorizedAgent or RequesterRelation.Relative ? request.RequesterId : request.SubjectId;

    /// <summary>The clock restarts after the portal waited for the requester: the due date moves on by the profile's rules.</summary>
    public async Task ResumeClockAsync(ApplicationDbContext db, DataSubjectRequest request, RequestActor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dueAt = deadlines.Resume(request.Profile, request.DueAt, request.ExtendedAt is not null, request.PausedAt ?? now, now);
        var from = request.Resume(dueAt, now, DeadlineCalculator.RestartsOnResume(request.Profile));
        await StatusChangedAsync(db, actor, request, from, cancellationToken: cancellationToken);
    }

    /// <summary>Audits a move of the lifecycle and, with a template, tells the requester by email.</summary>
    public async Task StatusChangedAsync(
        ApplicationDbContext db, RequestActor actor, DataSubjectRequest request, RequestStatus from, string? template = null,
        Dictionary<string, string?>? extra = null, CancellationToken cancellationToken = default)
    {
        var details = new Dictionary<string, string?>(extra ?? []) { ["from"] = from.ToString(), ["to"] = request.Status.ToString() };
        await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestStatusChanged, request.Id, request.SubjectId, details, cancellationToken);
        if (template is not null)
        {
            Notify(db, template, Recipient(request), request);
        }

        if (request.Relation == RequesterRelation.AuthorizedAgent)
        {
            await Agents.AgentPermissionLifecycle.RequestMovedAsync(this, db, actor, request, template, cancellationToken);
        }
    }

    /// <summary>Appends an audit event about the request, in the same transaction.</summary>
    public Task AuditAsync(
        ApplicationDbContext db, RequestActor actor, string action, DataSubjectRequest request, Dictionary<string, string?>? details = null,
        CancellationToken cancellationToken = default) =>
        audit.AppendAsync(db, actor.ForAudit, action, request.Id, request.SubjectId, details, cancellationToken);

    /// <summary>Queues an email (or text) about the request, sent once the transaction commits.</summary>
    /// <param name="address">An address that no longer belongs to an account (a deleted one), with the language to write in.</param>
    public void Notify(
        ApplicationDbContext db, string template, string recipientId, DataSubjectRequest request, Dictionary<string, string>? values = null,
        string? address = null, string? culture = null) =>
        outbox.Enqueue(db, template, recipientId, request.Id, values ?? Values(request), address, culture);

    public static void AddMessage(ApplicationDbContext db, DataSubjectRequest request, RequestActor actor, string body, MessageKind kind, DateTimeOffset now) =>
        db.RequestMessages.Add(new RequestMessage { RequestId = request.Id, AuthorId = actor.UserId, AuthorRole = actor.Role, Body = body, Kind = kind, SentAt = now });

    public static string MessageBody(string? text)
    {
        Require(!PortalText.IsBlank(text), "Write a message first.");
        Require(PortalText.IsClean(text), PortalText.ControlCharacters);
        Require(text!.Trim().Length <= RequestMessage.BodyMaxLength, "The message is too long: at most 4000 characters.");
        return text.Trim();
    }

    /// <summary>The language a person reads the portal in, for text written into a request on their behalf.</summary>
    public static Task<string?> PreferredCultureAsync(ApplicationDbContext db, string userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.PreferredCulture).SingleOrDefaultAsync(cancellationToken);

    /// <summary>What request emails may say: the reference, dates and codes; the renderer localizes the codes.</summary>
    public Dictionary<string, string> Values(DataSubjectRequest request)
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

    /// <summary>A date as the deployment's calendar shows it, for audit details and emails.</summary>
    public string Date(DateTimeOffset instant) =>
        deadlines.LocalDate(instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A due date, read in its profile's zone: where its day ends.</summary>
    public string Date(DeadlineProfile profile, DateTimeOffset instant) =>
        deadlines.LocalDate(profile, instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
