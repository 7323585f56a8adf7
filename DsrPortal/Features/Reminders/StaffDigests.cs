using System.Globalization;
using System.Text;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Reminders;

/// <summary>
/// Keeps staff ahead of deadlines: each agent's and supervisor's daily digest of their requests due within two
/// working days or overdue, and a note to every supervisor when a request goes past its due date. Each is written
/// with the row that says it was sent, so no instance sends it twice.
/// </summary>
internal sealed class StaffDigests(
    IDbContextFactory<ApplicationDbContext> contexts,
    Outbox outbox,
    DeadlineCalculator deadlines,
    IStringLocalizer<SharedResource> localizer,
    IOptions<EmailOptions> email,
    TimeProvider clock)
{
    public const string DigestTemplate = "staff-digest";
    public const string OverdueTemplate = "request-overdue";

    /// <summary>The end of the second working day after today, on the deployment's calendar.</summary>
    public DateTimeOffset HorizonAfter(DateTimeOffset now)
    {
        var day = deadlines.LocalDate(now);
        for (var counted = 0; counted < 2;)
        {
            day = day.AddDays(1);
            counted += deadlines.IsWorkingDay(day) ? 1 : 0;
        }

        var end = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(end, deadlines.Zone.GetUtcOffset(end));
    }

    /// <summary>Today's digest to every staff member who has not had it, once the local clock passes <paramref name="fromHour"/>. Returns how many were emailed.</summary>
    public async Task<int> SendDigestsAsync(int fromHour, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (deadlines.Local(now).Hour < fromHour)
        {
            return 0;
        }

        var today = deadlines.LocalDate(now);
        var horizon = HorizonAfter(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var staff = await (from u in db.Users
                           where db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == PortalRoles.Agent || r.Name == PortalRoles.Supervisor)))
                              && (u.LockoutEnd == null || u.LockoutEnd < now)
                              && !db.StaffDigests.Any(d => d.UserId == u.Id && d.Day == today)
                           select new { u.Id, u.PreferredCulture }).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var person in staff)
        {
            var due = await db.Requests.AsNoTracking()
                .Where(r => r.AssigneeId == person.Id && !RequestStatuses.Closed.Contains(r.Status) && r.DueAt <= horizon)
                .OrderBy(r => r.DueAt).Take(200)
                .Select(r => new { r.ReceivedAt, r.Number, r.Type, r.DueAt, r.Profile })
                .ToListAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.StaffDigests.Add(new StaffDigest { UserId = person.Id, Day = today });
            if (due.Count > 0)
            {
                var lines = new StringBuilder();
                using (PortalCultures.Use(person.PreferredCulture))
                {
                    foreach (var r in due)
                    {
                        var date = deadlines.Local(r.Profile, r.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                        lines.Append(DataSubjectRequest.FormatReference(r.ReceivedAt, r.Number)).Append(" · ").Append(localizer[RequestLabels.Type(r.Type)].Value)
                            .Append(" · ").Append(r.DueAt < now ? localizer["overdue since {0}", date].Value : localizer["due {0}", date].Value).Append('\n');
                    }
                }

                outbox.Enqueue(db, DigestTemplate, person.Id, requestId: null, new Dictionary<string, string>
                {
                    ["Overdue"] = due.Count(r => r.DueAt < now).ToString(CultureInfo.InvariantCulture),
                    ["DueSoon"] = due.Count(r => r.DueAt >= now).ToString(CultureInfo.InvariantCulture),
                    ["Requests"] = lines.ToString().TrimEnd(),
                    ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/queue?assignee=Me",
                });
                sent++;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return sent;
    }

    /// <summary>Tells every supervisor of each request that went past its due date since the last round. Returns how many requests.</summary>
    public async Task<int> AlertOverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var overdue = await db.Requests.AsNoTracking()
            .Where(r => !RequestStatuses.Closed.Contains(r.Status) && r.DueAt < now && !db.OverdueAlerts.Any(a => a.RequestId == r.Id && a.DueAt == r.DueAt))
            .OrderBy(r => r.DueAt).Take(500)
            .Select(r => new { r.Id, r.DueAt, r.Type, r.Profile })
            .ToListAsync(cancellationToken);
        if (overdue.Count == 0)
        {
            return 0;
        }

        var supervisors = await db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == PortalRoles.Supervisor)).Select(ur => ur.UserId).ToListAsync(cancellationToken);
        foreach (var request in overdue)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.OverdueAlerts.Add(new OverdueAlert { RequestId = request.Id, DueAt = request.DueAt, SentAt = now });
            foreach (var supervisor in supervisors)
            {
                outbox.Enqueue(db, OverdueTemplate, supervisor, request.Id, new Dictionary<string, string>
                {
                    ["TypeKey"] = RequestLabels.Type(request.Type),
                    ["DueDate"] = deadlines.Local(request.Profile, request.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/queue/{request.Id}",
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return overdue.Count;
    }
}
