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

public enum QueueSort
{
    Due = 0,
    Reference = 1,
    Received = 2,
}

/// <summary>How the queue is ordered: most urgent first unless the agent chose otherwise.</summary>
public readonly record struct QueueOrder(QueueSort Column = QueueSort.Due, bool Descending = false);

/// <summary>Where a page ended, in every order's terms: the next page starts after it.</summary>
public readonly record struct QueueCursor(DateTimeOffset DueAt, DateTimeOffset ReceivedAt, long Number)
{
    public static QueueCursor After(QueueRow row) => new(row.DueAt, row.ReceivedAt, row.Number);
}

/// <summary>One page of rows, how many requests match (up to <see cref="QueueQuery.CountCap"/> + 1), and whether more follow.</summary>
public sealed record QueueSlice(IReadOnlyList<QueueRow> Rows, int Counted, bool HasMore);

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

    /// <summary>
    /// One page of the queue as the page shows it: the capped count, then the rows after <paramref name="after"/> in
    /// <paramref name="order"/> (keyset paging: the page starts where the last one ended, so page 40 costs what page 1
    /// costs, and a request arriving meanwhile neither repeats nor skips a row).
    /// </summary>
    public static async Task<QueueSlice> PageAsync(
        ApplicationDbContext db, QueueFilter filter, string currentUserId, DateTimeOffset now, QueueOrder order, QueueCursor? after, int size,
        CancellationToken cancellationToken)
    {
        var requests = Filter(db.Requests.AsNoTracking(), filter, currentUserId, now);
        var counted = await CountUpToAsync(requests, CountCap, cancellationToken);
        var page = Sort(After(requests, order, after), order).Take(size + 1);
        // The join keeps the page's rows but not their order: it is restored in memory (one page only).
        var rows = Sort(await Rows(db, page).ToListAsync(cancellationToken), order).ToList();
        return new QueueSlice(rows.Take(size).ToList(), counted, rows.Count > size);
    }

    /// <summary>The requests that come after <paramref name="cursor"/> in <paramref name="order"/>; all of them without one.</summary>
    public static IQueryable<DataSubjectRequest> After(IQueryable<DataSubjectRequest> requests, QueueOrder order, QueueCursor? cursor)
    {
        if (cursor is not { } c)
        {
            return requests;
        }

        return (order.Column, order.Descending) switch
        {
            (QueueSort.Received, false) => requests.Where(r => r.ReceivedAt > c.ReceivedAt || (r.ReceivedAt == c.ReceivedAt && r.Number > c.Number)),
            (QueueSort.Received, true) => requests.Where(r => r.ReceivedAt < c.ReceivedAt || (r.ReceivedAt == c.ReceivedAt && r.Number < c.Number)),
            (QueueSort.Reference, false) => requests.Where(r => r.Number > c.Number),
            (QueueSort.Reference, true) => requests.Where(r => r.Number < c.Number),
            (_, false) => requests.Where(r => r.DueAt > c.DueAt || (r.DueAt == c.DueAt && r.Number > c.Number)),
            (_, true) => requests.Where(r => r.DueAt < c.DueAt || (r.DueAt == c.DueAt && r.Number < c.Number)),
        };
    }

    /// <summary>Most urgent first unless the agent sorts by another column; each order has an index, and ends on the number so it is total.</summary>
    public static IQueryable<DataSubjectRequest> Sort(IQueryable<DataSubjectRequest> requests, QueueOrder order) => (order.Column, order.Descending) switch
    {
        (QueueSort.Received, false) => requests.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Number),
        (QueueSort.Received, true) => requests.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Number),
        (QueueSort.Reference, false) => requests.OrderBy(r => r.Number),
        (QueueSort.Reference, true) => requests.OrderByDescending(r => r.Number),
        (_, false) => requests.OrderBy(r => r.DueAt).ThenBy(r => r.Number),
        (_, true) => requests.OrderByDescending(r => r.DueAt).ThenByDescending(r => r.Number),
    };

    // The same order again, in memory over one page: EF cannot order by a record built in the projection.
    private static IEnumerable<QueueRow> Sort(IEnumerable<QueueRow> rows, QueueOrder order) => (order.Column, order.Descending) switch
    {
        (QueueSort.Received, false) => rows.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Number),
        (QueueSort.Received, true) => rows.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Number),
        (QueueSort.Reference, false) => rows.OrderBy(r => r.Number),
        (QueueSort.Reference, true) => rows.OrderByDescending(r => r.Number),
        (_, false) => rows.OrderBy(r => r.DueAt).ThenBy(r => r.Number),
        (_, true) => rows.OrderByDescending(r => r.DueAt).ThenByDescending(r => r.Number),
    };

    /// <summary>
    /// Whether a change may alter what a queue page shows: a row on it changed, or the request matched the filter before
    /// or after the change (so the count, and perhaps the page, moved). A change known only by its id may alter anything.
    /// </summary>
    public static bool MayChangePage(QueueFilter filter, string currentUserId, DateTimeOffset now, IReadOnlyCollection<Guid> shown, RequestChange change) =>
        change.OnlyId
        || shown.Contains(change.RequestId)
        || Matches(filter, currentUserId, now, change.Before)
        || Matches(filter, currentUserId, now, change.After);

    /// <summary>The filter's own query, run over one request in memory: the same rules as in SQL, by construction.</summary>
    private static bool Matches(QueueFilter filter, string currentUserId, DateTimeOffset now, DataSubjectRequest? request) =>
        request is not null && Filter(new[] { request }.AsQueryable(), filter, currentUserId, now).Any();

    public static IQueryable<QueueRow> Rows(ApplicationDbContext db, IQueryable<DataSubjectRequest> requests) =>
        from r in requests
        join s in db.Users on r.SubjectId equals s.Id
        join a in db.Users on r.AssigneeId equals a.Id into assignees
        from a in assignees.DefaultIfEmpty()
        select new QueueRow(r.Id, r.Number, r.ReceivedAt, r.Type, r.Status, r.Channel, r.DueAt, r.AssigneeId, a.Email, s.Email, r.Profile);
}
