using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Audit;

/// <summary>What a supervisor narrows the trail to; every part optional. Dates are days in the deployment's time zone.</summary>
public sealed record AuditFilter(string? Action = null, string? Request = null, string? ActorId = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One event as the audit page shows it: the request by its reference, the actor by name, the details as pairs.</summary>
public sealed record AuditRow(
    long Sequence, DateTimeOffset OccurredAt, string Action, string ActorRole, string Actor,
    Guid? RequestId, string? Reference, IReadOnlyList<KeyValuePair<string, string>> Details);

public sealed record AuditLogPage(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>
/// The trail read for people: newest first, a page at a time, filtered by action, request (its reference or id), actor
/// and days. The trail itself holds ids and codes only; the names shown here (staff, request references) are looked
/// up for the page, for supervisors only, and never written back.
/// </summary>
internal sealed class AuditLog(IDbContextFactory<ApplicationDbContext> contexts, DeadlineCalculator deadlines)
{
    public const string SystemActor = "system";

    /// <param name="zone">The clock the filter's days are read on: the reader's, as the page shows times; null for the portal's.</param>
    public async Task<AuditLogPage> PageAsync(AuditFilter filter, int page, int size, TimeZoneInfo? zone = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(e => e.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Request))
        {
            var text = filter.Request.Trim();
            Guid? id = Guid.TryParse(text, out var parsed) ? parsed
                : DataSubjectRequest.TryParseReference(text, out var number)
                    ? await db.Requests.Where(r => r.Number == number).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken)
                    : null;
            if (id is null)
            {
                return new AuditLogPage([], 0);
            }

            query = query.Where(e => e.RequestId == id);
        }

        if (!string.IsNullOrWhiteSpace(filter.ActorId))
        {
            query = query.Where(e => e.ActorId == filter.ActorId);
        }

        if (filter.From is { } from)
        {
            var start = StartOf(from, zone ?? deadlines.Zone);
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = StartOf(to.AddDays(1), zone ?? deadlines.Zone);
            query = query.Where(e => e.OccurredAt < end);
        }

        var total = await query.CountAsync(cancellationToken);
        var events = await query.OrderByDescending(e => e.Sequence).Skip(page * size).Take(size).ToListAsync(cancellationToken);

        var requestIds = events.Where(e => e.RequestId is not null).Select(e => e.RequestId!.Value).Distinct().ToList();
        var references = (await db.Requests.AsNoTracking().Where(r => requestIds.Contains(r.Id))
                .Select(r => new { r.Id, r.ReceivedAt, r.Number }).ToListAsync(cancellationToken))
            .ToDictionary(r => r.Id, r => DataSubjectRequest.FormatReference(r.ReceivedAt, r.Number));
        var actorIds = events.Select(e => e.ActorId).Distinct().ToList();
        var staff = await StaffDirectory.Members(db).Where(m => actorIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Email, cancellationToken);

        var rows = events.Select(e => new AuditRow(
            e.Sequence, e.OccurredAt, e.Action, e.ActorRole,
            staff.GetValueOrDefault(e.ActorId) ?? e.ActorId,
            e.RequestId, e.RequestId is { } r ? references.GetValueOrDefault(r) : null,
            Pairs(e.Details))).ToList();
        return new AuditLogPage(rows, total);
    }

    /// <summary>Who can be chosen as the actor: every staff member by email, and the portal itself.</summary>
    public async Task<IReadOnlyList<(string Id, string Label)>> ActorsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var members = await StaffDirectory.Members(db).Select(m => new { m.Id, m.Email }).ToListAsync(cancellationToken);
        return [.. members.DistinctBy(m => m.Id).Select(m => (m.Id, m.Email))];
    }

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The details object as name and value pairs, nested values as their JSON; text that is not an object stays whole.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Pairs(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [new("", details)];
            }

            return [.. document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name,
                p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString() ?? "",
                    JsonValueKind.Null => "",
                    _ => p.Value.GetRawText(),
                }))];
        }
        catch (JsonException)
        {
            return [new("", details)];
        }
    }
}
