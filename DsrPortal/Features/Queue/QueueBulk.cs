using DsrPortal.Data;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Queue;

public enum BulkAction
{
    Claim = 0,
    Assign = 1,
    Approve = 2,
    Ask = 3,
    Extend = 4,
    Refuse = 5,
    Spam = 6,
}

/// <summary>One move for many requests, with the one text, legal reason or assignee it needs.</summary>
public sealed record BulkCommand(BulkAction Action, string? Text = null, RefusalReason? Reason = null, string? AssigneeId = null);

/// <summary>What happened to one request of a bulk move: moved, or why not.</summary>
public sealed record BulkItem(Guid Id, string Reference, WorkflowError? Error)
{
    public bool Moved => Error is null;
}

/// <summary>A bulk move as a whole: refused before anything moved (<see cref="Refused"/>), or each request's outcome.</summary>
public sealed record BulkOutcome(WorkflowError? Refused, IReadOnlyList<BulkItem> Items)
{
    public int Moved => Items.Count(i => i.Moved);

    public IEnumerable<BulkItem> NotMoved => Items.Where(i => !i.Moved);
}

/// <summary>
/// The queue's bulk moves: each chosen request goes through the same use case, rules, transaction, audit event and
/// emails as one moved by hand, one after another; a request that cannot move is listed with its reason and left as it
/// was, and the others still move. A command missing what its move needs refuses the whole batch before anything moves.
/// </summary>
internal sealed class QueueBulk(RequestWorkflow workflow, IDbContextFactory<ApplicationDbContext> contexts)
{
    /// <summary>The most requests one bulk move takes: enough for a wave, few enough to review the outcome.</summary>
    public const int MaxRequests = 100;

    public async Task<BulkOutcome> ApplyAsync(IReadOnlyCollection<Guid> ids, BulkCommand command, RequestActor actor, CancellationToken cancellationToken = default)
    {
        if (Check(ids, command, actor) is { } refused)
        {
            return new BulkOutcome(refused, []);
        }

        Dictionary<Guid, string> references;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var chosen = ids.Distinct().ToList();
            references = (await db.Requests.AsNoTracking().Where(r => chosen.Contains(r.Id))
                    .Select(r => new { r.Id, r.ReceivedAt, r.Number }).ToListAsync(cancellationToken))
                .ToDictionary(r => r.Id, r => DataSubjectRequest.FormatReference(r.ReceivedAt, r.Number));
        }

        var items = new List<BulkItem>();
        foreach (var id in ids.Distinct())
        {
            if (!references.TryGetValue(id, out var reference))
            {
                items.Add(new BulkItem(id, "", WorkflowResult.NotFound().Error));
                continue;
            }

            var result = await MoveAsync(id, command, actor, cancellationToken);
            items.Add(new BulkItem(id, reference, result.Error));
        }

        return new BulkOutcome(null, items);
    }

    private Task<WorkflowResult> MoveAsync(Guid id, BulkCommand command, RequestActor actor, CancellationToken cancellationToken) => command.Action switch
    {
        BulkAction.Claim => workflow.ClaimAsync(id, actor, cancellationToken),
        BulkAction.Assign => workflow.ReassignAsync(id, command.AssigneeId!, actor, null, cancellationToken),
        BulkAction.Approve => workflow.ApproveAsync(id, actor, null, cancellationToken),
        BulkAction.Ask => workflow.AskRequesterAsync(id, command.Text!, actor, null, cancellationToken),
        BulkAction.Extend => workflow.ExtendAsync(id, command.Text!, actor, null, cancellationToken),
        BulkAction.Refuse => workflow.RefuseAsync(id, command.Reason!.Value, command.Text!, actor, null, cancellationToken),
        BulkAction.Spam => workflow.MarkAsSpamAsync(id, command.Text!, actor, null, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>Why the batch cannot start at all, or null: what every request's move would refuse in the same words.</summary>
    private static WorkflowError? Check(IReadOnlyCollection<Guid> ids, BulkCommand command, RequestActor actor)
    {
        if (ids.Count == 0)
        {
            return Refusal(Refuse("Choose at least one request."));
        }

        if (ids.Distinct().Count() > MaxRequests)
        {
            return Refusal(Refuse("Choose at most {0} requests at once."), MaxRequests);
        }

        var missing = command.Action switch
        {
            _ when !actor.IsStaff => Refuse("This request does not exist, or it is not yours."),
            _ when !Enum.IsDefined(command.Action) => Refuse("Choose what to do with the chosen requests."),
            BulkAction.Assign when !actor.IsSupervisor => Refuse("Only a supervisor can reassign a request."),
            BulkAction.Assign when PortalText.IsBlank(command.AssigneeId) => Refuse("Choose an agent or supervisor to assign the request to."),
            BulkAction.Refuse when command.Reason is null or RefusalReason.NoAnswer || !Enum.IsDefined(command.Reason.Value) => Refuse("Choose a legal reason for the refusal."),
            BulkAction.Ask when PortalText.IsBlank(command.Text) => Refuse("Write the question the requesters are asked."),
            BulkAction.Extend when PortalText.IsBlank(command.Text) => Refuse("Give the reason for the extension: the requesters are told."),
            BulkAction.Refuse when PortalText.IsBlank(command.Text) => Refuse("Explain the refusal: the requesters are told."),
            BulkAction.Spam when PortalText.IsBlank(command.Text) => Refuse("Say why these requests are spam."),
            _ => null,
        };
        return missing is null ? null : Refusal(missing);
    }

    private static WorkflowError Refusal(string key, params object[] arguments) => new(WorkflowErrorKind.Rule, key, arguments);
}
