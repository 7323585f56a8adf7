using DsrPortal.Data;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Queue;

public enum DueFilter
{
    Any = 0,
    Overdue = 1,
    DueWithinThreeDays = 2,
    DueWithinSevenDays = 3,
}

public enum AssigneeFilter
{
    Anyone = 0,
    Me = 1,
    Unassigned = 2,
}

public sealed record QueueFilter
{
    public RequestStatus? Status { get; init; }

    public RequestType? Type { get; init; }

    public DueFilter Due { get; init; }

    public AssigneeFilter Assignee { get; init; }

    public RequestChannel? Channel { get; init; }

    /// <summary>A reference ("DSR-2026-000123") or its number.</summary>
    public string? Search { get; init; }

    public bool IncludeClosed { get; init; }

    /// <summary>Only disputes escalated to a supervisor.</summary>
    public bool EscalatedOnly { get; init; }
}

public sealed record QueueRow(
    Guid Id, long Number, DateTimeOffset ReceivedAt, RequestType Type, RequestStatus Status, RequestChannel Channel,
    DateTimeOffset DueAt, string? AssigneeId, string? AssigneeEmail, string? SubjectEmail, Requests.Deadlines.DeadlineProfile Profile)
{
    public string Reference => DataSubjectRequest.FormatReference(ReceivedAt, Number);

    public bool IsClosed => RequestStatuses.IsClosed(Status);
}

/// <summary>
/// The queue's filters as one query, run on the server and paged there: every filter and ordering
/// has an index (see DataSubjectRequestConfiguration), so 100,000 requests page as fast as 100.
/// </summary>
public static class QueueQuery
{
    /// <summary>The most a queue counts: beyond it the page says "more than", and the filters narrow the list.</summary>
    public const int CountCap = 1000;

    /// <summary>
    /// How many requests match, counting no further than <paramref name="cap"/> + 1: the count stops early on a huge
    /// queue instead of scanning every open row on each load. More than the cap answers cap + 1.
    /// </summary>
    public static Task<int> CountUpToAsync(IQueryable<DataSubjectRequest> requests, int cap, CancellationToken cancellationToken) =>
        requests.Take(cap + 1).CountAsync(cancellationToken);

    private static readonly RequestStatus[] Closed = RequestStatuses.Closed;

    public static IQueryable<DataSubjectRequest> Filter(IQueryable<DataSubjectRequest> requests, QueueFilter filter, string currentUserId, DateTimeOffset now)
    {
        if (DataSubjectRequest.TryParseReference(filter.Search, out var number))
        {
            // A reference names one request: found whatever the other filters say.
            return requests.Where(r => r.Number == number);
        }

        if (filter.Status is { } status)
        {
            requests = requests.Where(r => r.Status == status);
        }
        else if (!filter.IncludeClosed)
        {
            requests = requests.Where(r => !Closed.Contains(r.Status));
        }

        if (filter.Type is { } type)
        {
            requests = requests.Where(r => r.Type == type);
        }

        if (filter.Channel is { } channel)
        {
            requests = requests.Where(r => r.Channel == channel);
        }

        if (filter.EscalatedOnly)
        {
            requests = requests.Where(r => r.EscalatedAt != null);
        }

        var soon = now.AddDays(3);
        var week = now.AddDays(7);
        requests = filter.Due switch
        {
            DueFilter.Overdue => requests.Where(r => r.DueAt < now),
            DueFilter.DueWithinThreeDays => requests.Where(r => r.DueAt >= now && r.DueAt <= soon),
            DueFilter.DueWithinSevenDays => requests.Where(r => r.DueAt >= now && r.DueAt <= week),
            _ => requests,
        };

        return filter.Assignee switch
        {
            AssigneeFilter.Me => requests.Where(r => r.AssigneeId == currentUserId),
            AssigneeFilter.Unassigned => requests.Where(r => r.AssigneeId == null),
            _ => requests,
        };
    }

    /// <summary>Most urgent first unless the agent sorts by another column; each order has an index.</summary>
    public static IQueryable<DataSubjectRequest> Sort(IQueryable<DataSubjectRequest> requests, string? column, bool descending) => column switch
    {
        nameof(QueueRow.ReceivedAt) => descending ? requests.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Number) : requests.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Number),
        nameof(QueueRow.Number) => descending ? requests.OrderByDescending(r => r.Number) : requests.OrderBy(r => r.Number),
        _ => descending ? requests.OrderByDescending(r => r.DueAt).ThenByDescending(r => r.Number) : requests.OrderBy(r => r.DueAt).ThenBy(r => r.Number),
    };

    // The same order again, in memory over one page: SQL keeps the page's rows through the join, not their
    // order, and EF cannot order by a record built in the projection.
    public static IEnumerable<QueueRow> Sort(IQueryable<QueueRow> rows, string? column, bool descending) => column switch
    {
        nameof(QueueRow.ReceivedAt) => descending ? rows.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Number) : rows.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Number),
        nameof(QueueRow.Number) => descending ? rows.OrderByDescending(r => r.Number) : rows.OrderBy(r => r.Number),
        _ => descending ? rows.OrderByDescending(r => r.DueAt).ThenByDescending(r => r.Number) : rows.OrderBy(r => r.DueAt).ThenBy(r => r.Number),
    };

    public static IQueryable<QueueRow> Rows(ApplicationDbContext db, IQueryable<DataSubjectRequest> requests) =>
        from r in requests
        join s in db.Users on r.SubjectId equals s.Id
        join a in db.Users on r.AssigneeId equals a.Id into assignees
        from a in assignees.DefaultIfEmpty()
        select new QueueRow(r.Id, r.Number, r.ReceivedAt, r.Type, r.Status, r.Channel, r.DueAt, r.AssigneeId, a.Email, s.Email, r.Profile);
}
