using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.ManualTasks;

/// <summary>What an owner sees on their task's page: the request, what is asked, and whose data (their proven identifiers).</summary>
public sealed record ManualTaskView(ManualTask Task, string Reference, RequestType Type, DateTimeOffset DueAt, bool RequestOpen, string? Email, string? Phone, string Culture);

/// <summary>
/// Tasks for the owners of systems with neither database access nor an HTTP connector. Before an approved export or
/// deletion runs, each system it concerns gets a task (one email with a signed link); the job waits, without counting
/// failures, until every task is answered; owners are reminded until they answer. Answers go into the export (the
/// uploaded file) or the deletion's outcome (what was kept, and why).
/// </summary>
internal sealed class ManualTaskService(
    IDbContextFactory<ApplicationDbContext> contexts,
    IOptionsMonitor<DataSourcesOptions> sources,
    IOptionsMonitor<FulfilmentOptions> fulfilment,
    IOptions<EmailOptions> email,
    Outbox outbox,
    AuditWriter audit,
    PersonalData data,
    IDataProtectionProvider protection,
    TimeProvider clock,
    IHostEnvironment environment,
    Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> localizer,
    Export.ExportPackages packages)
{
    public const string TaskTemplate = "manual-task";
    public const string ReminderTemplate = "manual-task-reminder";
    public const long MaxFileBytes = 200L * 1024 * 1024;

    /// <summary>How often a waiting job looks again (an answer wakes it at once).</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMinutes(5);

    private readonly IDataProtector protector = protection.CreateProtector("DsrPortal.ManualTasks.Token.v1");

    /// <summary>Where an upload is received before it joins the packages' store (a directory or the database, as the operator chose).</summary>
    private string FileDirectory => Path.Combine(Path.GetFullPath(fulfilment.CurrentValue.ExportDirectory, environment.ContentRootPath), "manual");

    private string StagingPath(Guid taskId) => Path.Combine(FileDirectory, $"{taskId:N}.upload");

    /// <summary>The systems a request concerns: every one for an export or a whole account, those holding a chosen category otherwise.</summary>
    public IReadOnlyList<ManualSystemOptions> SystemsFor(DataSubjectRequest request) =>
    [
        .. sources.CurrentValue.Manual.Where(system => request.Type == RequestType.Export
            || request.DeletionScope == DeletionScope.WholeAccount
            || (request.DeletionScope == DeletionScope.SelectedCategories
                && system.Categories.Any(c => request.CategoryList.Select(x => x.ToString()).Contains(c.Category)))),
    ];

    /// <summary>
    /// Before the job's own work: sends the tasks not sent yet, and waits (throws <see cref="FulfilmentWaitException"/>)
    /// while any is unanswered.
    /// </summary>
    public async Task RequireAnsweredAsync(FulfilmentJob job, CancellationToken cancellationToken)
    {
        if (sources.CurrentValue.Manual.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == job.RequestId, cancellationToken);
        if (request is null || request.Status != RequestStatus.Fulfilling)
        {
            return;
        }

        var systems = SystemsFor(request);
        var tasks = await db.ManualTasks.Where(t => t.RequestId == request.Id && t.Kind == job.Kind).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var system in systems.Where(s => tasks.All(t => t.System != s.Name)))
            {
                var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                var task = ManualTask.Create(request.Id, system.Name, job.Kind, Hash(token), protector.Protect(token), now);
                db.ManualTasks.Add(task);
                tasks.Add(task);
                Notify(db, TaskTemplate, task, system, request, token);
                await audit.AppendAsync(db, AuditActor.System, AuditActions.ManualTaskSent, request.Id, request.SubjectId, new Dictionary<string, string?>
                {
                    ["system"] = system.Name,
                    ["kind"] = job.Kind.ToString(),
                }, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (tasks.Any(t => !t.IsAnswered && systems.Any(s => s.Name == t.System)))
        {
            throw new FulfilmentWaitException(Poll, "manual tasks");
        }
    }

    /// <summary>The task behind a link, with what its page shows; null for a link that opens nothing.</summary>
    public async Task<ManualTaskView?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is not { Length: > 20 and < 100 })
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.ManualTasks.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (task is null)
        {
            return null;
        }

        var request = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == task.RequestId, cancellationToken);
        var keys = await data.KeysAsync(request.SubjectId, cancellationToken);
        var culture = sources.CurrentValue.Manual.FirstOrDefault(s => s.Name == task.System)?.Culture ?? "en";
        return new ManualTaskView(task, request.Reference, request.Type, request.DueAt, request.Status == RequestStatus.Fulfilling, keys?.Email, keys?.Phone, culture);
    }

    /// <summary>The owner's answer: recorded once, audited by code, the file kept for the export, and the waiting job woken.</summary>
    public async Task<WorkflowResult> AnswerAsync(
        string token, ManualTaskAnswer answer, string? note, (string Name, Stream Content)? file, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.ManualTasks.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        var request = task is null ? null : await db.Requests.AsNoTracking().SingleAsync(r => r.Id == task.RequestId, cancellationToken);
        if (task is null || request is null)
        {
            return WorkflowResult.NotFound();
        }

        if (request.Status != RequestStatus.Fulfilling)
        {
            return new WorkflowResult(null, new WorkflowError(WorkflowErrorKind.Rule, "This request is closed: nothing more is needed.", []));
        }

        string? fileName = null;
        long? size = null;
        var path = StagingPath(task.Id);
        var written = false;
        try
        {
            if (task.IsAnswered)
            {
                // Refused before anything is written: an answered task's file is the first answer's, and stays.
                task.Record(answer, note, null, null, clock.GetUtcNow());
            }

            if (answer == ManualTaskAnswer.Done && task.Kind == FulfilmentKind.Export && file is { } upload)
            {
                written = true;
                Directory.CreateDirectory(FileDirectory);
                await using (var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await upload.Content.CopyToAsync(target, cancellationToken);
                    size = target.Length;
                }

                fileName = CleanFileName(upload.Name);
                // Kept where every instance reads it: the export may run on another one.
                await packages.StoreAsync(task.Id, path, cancellationToken);
            }

            var now = clock.GetUtcNow();
            task.Record(answer, note, fileName, size, now);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await audit.AppendAsync(db, AuditActor.System, AuditActions.ManualTaskAnswered, request.Id, request.SubjectId, new Dictionary<string, string?>
            {
                ["system"] = task.System,
                ["answer"] = answer.ToString(),
                ["bytes"] = size?.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken);
            await db.FulfilmentJobs.Where(j => j.RequestId == request.Id && j.Kind == task.Kind).ForEachAsync(j => j.Wake(now), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new WorkflowResult(request, null);
        }
        catch (RequestRuleException e)
        {
            if (written)
            {
                DeleteFile(path);
                await packages.DeleteAsync(task.Id, cancellationToken);
            }

            return WorkflowResult.Rule(e);
        }
    }

    /// <summary>Reminds the owners of tasks unanswered for <paramref name="everyDays"/> days since sent or last reminded; returns how many.</summary>
    public async Task<int> RemindAsync(int everyDays, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = now.AddDays(-everyDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var waiting = await db.ManualTasks
            .Where(t => t.AnsweredAt == null && (t.RemindedAt ?? t.CreatedAt) <= due)
            .Join(db.Requests.Where(r => r.Status == RequestStatus.Fulfilling), t => t.RequestId, r => r.Id, (t, r) => new { Task = t, Request = r })
            .Take(100).ToListAsync(cancellationToken);
        foreach (var item in waiting)
        {
            if (sources.CurrentValue.Manual.FirstOrDefault(s => s.Name == item.Task.System) is not { } system)
            {
                continue;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            item.Task.Remind(now);
            Notify(db, ReminderTemplate, item.Task, system, item.Request, protector.Unprotect(item.Task.ProtectedToken));
            await audit.AppendAsync(db, AuditActor.System, AuditActions.ManualTaskReminded, item.Request.Id, item.Request.SubjectId, new Dictionary<string, string?>
            {
                ["system"] = system.Name,
                ["reminder"] = item.Task.Reminders.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return waiting.Count;
    }

    /// <summary>The answered export tasks' files, to join the package under <c>systems/{name}/</c>.</summary>
    public async Task<IReadOnlyList<(string System, string FileName, Func<Stream> Open)>> ExportFilesAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tasks = await db.ManualTasks.AsNoTracking()
            .Where(t => t.RequestId == requestId && t.Kind == FulfilmentKind.Export && t.Answer == ManualTaskAnswer.Done && t.FileName != null)
            .ToListAsync(cancellationToken);
        var files = new List<(string, string, Func<Stream>)>();
        foreach (var task in tasks)
        {
            if (await packages.FindAsync(task.Id, task.FileSize ?? 0, cancellationToken) is { } stored)
            {
                files.Add((task.System, task.FileName!, stored.Path is { } path ? () => File.OpenRead(path) : stored.Open!));
            }
        }

        return files;
    }

    /// <summary>What owners kept and why, for the deletion's outcome.</summary>
    public async Task<IReadOnlyList<(string System, string Note)>> KeptAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var kept = await db.ManualTasks.AsNoTracking()
            .Where(t => t.RequestId == requestId && t.Kind == FulfilmentKind.Erasure && t.Answer == ManualTaskAnswer.Kept)
            .Select(t => new { t.System, t.Note }).ToListAsync(cancellationToken);
        return [.. kept.Select(k => (k.System, k.Note ?? ""))];
    }

    /// <summary>Once the package holds them, the uploaded files are deleted.</summary>
    public async Task DeleteFilesAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var id in await db.ManualTasks.Where(t => t.RequestId == requestId).Select(t => t.Id).ToListAsync(cancellationToken))
        {
            await packages.DeleteAsync(id, cancellationToken);
        }
    }

    private void Notify(ApplicationDbContext db, string template, ManualTask task, ManualSystemOptions system, DataSubjectRequest request, string token) =>
        outbox.Enqueue(db, template, $"system:{system.Name}", request.Id, new Dictionary<string, string>
        {
            ["System"] = system.Name,
            ["Task"] = TaskWords(task.Kind, system.Culture),
            ["DueDate"] = request.DueAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/tasks/{token}",
        }, address: system.OwnerEmail, culture: system.Culture);

    private string TaskWords(FulfilmentKind kind, string culture)
    {
        using var _ = Localization.PortalCultures.Use(culture);
        return kind == FulfilmentKind.Export ? localizer["a copy"] : localizer["the deletion"];
    }

    private static void DeleteFile(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string CleanFileName(string name)
    {
        var last = Path.GetFileName(name.Replace('\\', '/'));
        var clean = new string([.. last.Where(c => !char.IsControl(c) && c is not ('/' or '\\' or ':'))]).Trim();
        clean = clean.Length == 0 ? "export" : clean;
        return clean.Length > ManualTask.FileNameMaxLength ? clean[^ManualTask.FileNameMaxLength..] : clean;
    }
}
