using System.Globalization;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Notices;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.ServiceEnd;

/// <summary>Rows per category and action (DeleteRows, SetNull, Pseudonymise, Retain): what a run did or a dry run would do.</summary>
public sealed class ErasureTally : SortedDictionary<string, SortedDictionary<string, long>>
{
    public void Add(string category, ErasureAction action, long rows)
    {
        if (!TryGetValue(category, out var actions))
        {
            this[category] = actions = [];
        }

        actions[action.ToString()] = actions.GetValueOrDefault(action.ToString()) + rows;
    }

    public void Add(ErasureTally other)
    {
        foreach (var (category, actions) in other)
        {
            foreach (var (action, rows) in actions)
            {
                Add(category, Enum.Parse<ErasureAction>(action), rows);
            }
        }
    }

    public static ErasureTally Parse(string json) => JsonSerializer.Deserialize<ErasureTally>(json) ?? [];

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>What a dry run counted: nothing was changed.</summary>
public sealed record ServiceEndDryRun(int Accounts, int PeopleWithoutAccount, ErasureTally Rows);

/// <summary>Where a program stands: its deletions by state, and how far the sweep got.</summary>
public sealed record ServiceEndProgress(
    ServiceEndProgram Program, int Waiting, int Running, int Completed, int Failed, IReadOnlyList<FailedServiceEndDeletion> FailedDeletions)
{
    /// <summary>The share of the enrolled deletions that are over (done or failed), 0 to 100.</summary>
    public int PercentDone => Program.Enrolled == 0 ? 0 : (int)Math.Round(100.0 * (Completed + Failed) / Program.Enrolled);
}

/// <summary>A deletion of the program that failed: which request, how many tries, and the error's type (no personal data).</summary>
public sealed record FailedServiceEndDeletion(Guid RequestId, string Reference, int Attempts, string? Error);

/// <summary>The final report, kept on the program.</summary>
public sealed record ServiceEndReport(
    DateTimeOffset EndsAt, DateTimeOffset FinishedAt, int AccountsErased, int AccountsFailed, int PeopleWithoutAccountErased, ErasureTally Rows);

/// <summary>
/// The end of the service (policy clause 2.2) for supervisors: announce it with a date (everyone is told by a
/// notice), rehearse it with a dry run that only counts, follow it, retry what failed, read the report.
/// </summary>
internal sealed class ServiceEndService(
    IDbContextFactory<ApplicationDbContext> contexts,
    NoticeService notices,
    PersonalData data,
    AuditWriter audit,
    RetryFulfilmentHandler retries,
    DeadlineCalculator deadlines,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock)
{
    /// <summary>Whether the service has ended for newcomers: the program's date has come (or it ran), and it was not called off.</summary>
    public static bool Closed(ServiceEndProgram program, DateTimeOffset now) =>
        program.State != ServiceEndState.Cancelled && (program.State != ServiceEndState.Announced || program.EndsAt <= now);

    public async Task<ServiceEndProgram?> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ServiceEndPrograms.AsNoTracking().OrderByDescending(p => p.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Tells everyone the service ends on <paramref name="endsAt"/>; returns why it cannot instead (a key of the shared table).</summary>
    public async Task<string?> AnnounceAsync(DateTimeOffset endsAt, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        if (endsAt <= clock.GetUtcNow())
        {
            return Refuse("Choose a date in the future: people must be told before their data is erased.");
        }

        if (await CurrentAsync(cancellationToken) is { State: not (ServiceEndState.Cancelled or ServiceEndState.Finished) })
        {
            return Refuse("The end of the service is announced already.");
        }

        var local = TimeZoneInfo.ConvertTime(endsAt, deadlines.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + $" ({deadlines.Zone.Id})";
        string T(string key, string culture)
        {
            using var _ = PortalCultures.Use(culture);
            return localizer[key, local].Value;
        }

        var english = PortalCultures.English;
        var chinese = PortalCultures.SimplifiedChinese;
        var result = await notices.SendAsync(new NoticeDraft(NoticeKind.EndOfService,
            T("The service ends on {0}", english), T("The service ends on {0}", chinese),
            T("We are ending the service on {0}. After that date your account and all the personal information we hold about you will be deleted or anonymised, except what the law requires us to keep, and you will receive a last email when it is done. Until then you can still download a copy of your data or make any other request in your account.", english),
            T("We are ending the service on {0}. After that date your account and all the personal information we hold about you will be deleted or anonymised, except what the law requires us to keep, and you will receive a last email when it is done. Until then you can still download a copy of your data or make any other request in your account.", chinese),
            NoticeAudience.Everyone), supervisor, cancellationToken,
            async (db, notice) =>
            {
                db.ServiceEndPrograms.Add(new ServiceEndProgram
                {
                    EndsAt = endsAt, AnnouncedAt = clock.GetUtcNow(), StartedBy = supervisor.Id, NoticeId = notice.Id, State = ServiceEndState.Announced,
                });
                await audit.AppendAsync(db, supervisor, AuditActions.ServiceEndAnnounced,
                    details: new Dictionary<string, string?> { ["endsAt"] = endsAt.ToString("O", CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken);
            });
        return result.Problem;
    }

    /// <summary>Calls the end off, only while nothing is erased yet.</summary>
    public async Task<bool> CancelAsync(AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cancelled = await db.ServiceEndPrograms.Where(p => p.State == ServiceEndState.Announced)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, ServiceEndState.Cancelled), cancellationToken);
        if (cancelled == 0)
        {
            return false;
        }

        await audit.AppendAsync(db, supervisor, AuditActions.ServiceEndCancelled, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Counts what the end of the service would erase, keep and anonymise, for every account and every person the
    /// company's systems hold without one. It reads only: run it on the live database, or rehearse on a copy.
    /// </summary>
    public async Task<ServiceEndDryRun> DryRunAsync(CancellationToken cancellationToken = default)
    {
        var tally = new ErasureTally();
        var accounts = 0;
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? after = null;
        while (true)
        {
            List<string> page;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                page = await SubjectAccounts.Active(db).AsNoTracking().Where(u => after == null || string.Compare(u.Id, after) > 0)
                    .OrderBy(u => u.Id).Select(u => u.Id).Take(200).ToListAsync(cancellationToken);
            }

            foreach (var id in page)
            {
                if (await data.KeysAsync(id, cancellationToken) is not { } keys)
                {
                    continue;
                }

                accounts++;
                known.UnionWith(new[] { keys.Email, keys.Phone }.OfType<string>());
                foreach (var step in await data.PlanErasureAsync(keys, null, cancellationToken))
                {
                    tally.Add(step.Category, step.Action, step.Rows);
                }
            }

            if (page.Count < 200)
            {
                break;
            }

            after = page[^1];
        }

        var others = 0;
        foreach (var source in data.Sources)
        {
            string? cursor = null;
            while (await source.PeopleAfterAsync(cursor, 200, cancellationToken) is { Count: > 0 } people)
            {
                foreach (var person in people.Where(p => !known.Contains(p.Phone ?? p.Email ?? "")))
                {
                    others++;
                    foreach (var step in await source.PlanErasureAsync(person, null, cancellationToken))
                    {
                        tally.Add(step.Category, step.Action, step.Rows);
                    }
                }

                cursor = people[^1].Phone ?? people[^1].Email;
            }
        }

        return new ServiceEndDryRun(accounts, others, tally);
    }

    /// <summary>How many failed deletions the progress names; the count covers them all.</summary>
    public const int FailedListed = 50;

    public async Task<ServiceEndProgress?> ProgressAsync(CancellationToken cancellationToken = default)
    {
        if (await CurrentAsync(cancellationToken) is not { } program)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var states = await (from e in db.ServiceEndEnrolments
                            join j in db.FulfilmentJobs on e.RequestId equals j.RequestId
                            where e.ProgramId == program.Id
                            group j by j.State into g
                            select new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(params FulfilmentState[] which) => states.Where(s => which.Contains(s.State)).Sum(s => s.Count);
        // The failed ones by name, so a supervisor sees which and why before retrying them.
        var failed = (await (from e in db.ServiceEndEnrolments
                             join j in db.FulfilmentJobs on e.RequestId equals j.RequestId
                             join r in db.Requests on e.RequestId equals r.Id
                             where e.ProgramId == program.Id && j.State == FulfilmentState.Failed
                             orderby r.Number
                             select new { r.Id, r.ReceivedAt, r.Number, j.Attempts, j.LastError }).Take(FailedListed).ToListAsync(cancellationToken))
            .Select(f => new FailedServiceEndDeletion(f.Id, DataSubjectRequest.FormatReference(f.ReceivedAt, f.Number), f.Attempts, f.LastError)).ToList();
        return new ServiceEndProgress(program, Count(FulfilmentState.Scheduled), Count(FulfilmentState.Running),
            Count(FulfilmentState.Completed), Count(FulfilmentState.Failed), failed);
    }

    /// <summary>Every failed deletion of the program goes again from its last checkpoint. Returns how many.</summary>
    public async Task<int> RetryFailedAsync(RequestActor supervisor, CancellationToken cancellationToken = default)
    {
        if (await CurrentAsync(cancellationToken) is not { } program)
        {
            return 0;
        }

        List<Guid> failed;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            failed = await (from e in db.ServiceEndEnrolments
                            join j in db.FulfilmentJobs on e.RequestId equals j.RequestId
                            where e.ProgramId == program.Id && j.State == FulfilmentState.Failed
                            select j.Id).ToListAsync(cancellationToken);
        }

        var retried = 0;
        foreach (var job in failed)
        {
            retried += await retries.RetryAsync(job, supervisor, cancellationToken) is null ? 1 : 0;
        }

        return retried;
    }

    public static ServiceEndReport? ReadReport(ServiceEndProgram program) =>
        program.Report is null ? null : JsonSerializer.Deserialize<ServiceEndReport>(program.Report);
}
