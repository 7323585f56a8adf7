using DsrPortal.Data;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Reports;

public sealed record Dashboard(
    IReadOnlyDictionary<RequestType, int> OpenByType,
    IReadOnlyDictionary<RequestStatus, int> OpenByStatus,
    int Overdue,
    int DueWithinThreeDays,
    IReadOnlyList<(string AgentId, string Email, int Open)> Workload,
    int EscalatedDisputes = 0,
    int DueWithinSevenDays = 0);

/// <summary>One row of the yearly report (CCPA regulations § 7102 shape), per request type.</summary>
public sealed record YearlyRow(
    RequestType Type, int Received, int Completed, int CompletedInPart, int Refused,
    IReadOnlyDictionary<RefusalReason, int> RefusedByReason, int Withdrawn, int StillOpen,
    double? MedianDays, double? MeanDays, double? OnTimeRate);

/// <summary>
/// The figures a privacy team shows to prove it answers on time. Days to respond run from receipt to
/// closing, in calendar days; "on time" means closed by the due date in force at closing.
/// </summary>
internal sealed class ReportService(IDbContextFactory<ApplicationDbContext> contexts, DeadlineCalculator deadlines)
{
    private static readonly RequestStatus[] Closed = RequestStatuses.Closed;

    public async Task<Dashboard> DashboardAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = db.Requests.AsNoTracking().Where(r => !Closed.Contains(r.Status));
        var byType = await open.GroupBy(r => r.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byStatus = await open.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        // The same windows as the queue's filters, so each figure matches the list it links to.
        var soon = now.AddDays(3);
        var overdue = await open.CountAsync(r => r.DueAt < now, cancellationToken);
        var dueSoon = await open.CountAsync(r => r.DueAt >= now && r.DueAt <= soon, cancellationToken);
        var escalated = await open.CountAsync(r => r.EscalatedAt != null, cancellationToken);
        var week = now.AddDays(7);
        var dueThisWeek = await open.CountAsync(r => r.DueAt >= now && r.DueAt <= week, cancellationToken);
        var counts = await open.Where(r => r.AssigneeId != null).GroupBy(r => r.AssigneeId!)
            .Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var ids = counts.Select(c => c.Id).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var workload = counts.Select(c => new { c.Id, Email = emails.GetValueOrDefault(c.Id), c.Count }).ToList();
        return new Dashboard(
            byType.ToDictionary(x => x.Key, x => x.Count),
            byStatus.ToDictionary(x => x.Key, x => x.Count),
            overdue,
            dueSoon,
            [.. workload.OrderByDescending(w => w.Count).Select(w => (w.Id, w.Email ?? "", w.Count))],
            escalated,
            dueThisWeek);
    }

    /// <summary>Requests received in the calendar year (deployment time zone), by type.</summary>
    public Task<IReadOnlyList<YearlyRow>> YearlyAsync(int year, CancellationToken cancellationToken = default) =>
        PeriodAsync(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), cancellationToken);

    /// <summary>Requests received from the first to the last day (both included, deployment time zone), by type.</summary>
    public async Task<IReadOnlyList<YearlyRow>> PeriodAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        var from = Start(first);
        var to = Start(last.AddDays(1));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Small columns only, one year at a time: the medians need the individual durations.
        var rows = await db.Requests.AsNoTracking()
            .Where(r => r.ReceivedAt >= from && r.ReceivedAt < to)
            .Select(r => new { r.Type, r.Status, r.RefusalReason, r.ReceivedAt, r.ClosedAt, r.DueAt })
            .ToListAsync(cancellationToken);

        return [.. Enum.GetValues<RequestType>().Select(type =>
        {
            var ofType = rows.Where(r => r.Type == type).ToList();
            var answered = ofType.Where(r => r.ClosedAt is not null && r.Status is not (RequestStatus.Withdrawn or RequestStatus.MarkedAsSpam)).ToList();
            var days = answered.Select(r => (r.ClosedAt!.Value - r.ReceivedAt).TotalDays).Order().ToList();
            return new YearlyRow(
                type,
                ofType.Count,
                ofType.Count(r => r.Status == RequestStatus.Completed),
                ofType.Count(r => r.Status == RequestStatus.CompletedWithExceptions),
                ofType.Count(r => r.Status == RequestStatus.Refused),
                ofType.Where(r => r.RefusalReason is not null).GroupBy(r => r.RefusalReason!.Value).ToDictionary(g => g.Key, g => g.Count()),
                ofType.Count(r => r.Status == RequestStatus.Withdrawn),
                ofType.Count(r => r.ClosedAt is null),
                Median(days),
                days.Count == 0 ? null : Math.Round(days.Average(), 1),
                answered.Count == 0 ? null : Math.Round((double)answered.Count(r => r.ClosedAt <= r.DueAt) / answered.Count, 3));
        })];
    }

    private DateTimeOffset Start(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, deadlines.Zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    private static double? Median(List<double> sorted) => sorted.Count == 0
        ? null
        : Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, 1);
}
