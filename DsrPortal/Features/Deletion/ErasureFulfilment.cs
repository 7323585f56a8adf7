using System.Globalization;
using System.Text;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Deletion;

/// <summary>An erasure plan as stored on its job (encrypted): the steps, and whom to tell at the end.</summary>
internal sealed record StoredErasurePlan(IReadOnlyList<ErasureStep> Steps, string? FinalAddress, string Culture, bool WholeAccount);

/// <summary>
/// Carries out an approved deletion: plans it once (keys resolved, stored encrypted on the job), runs
/// each set-based step and saves a checkpoint after it, then completes the request, naming what was
/// kept and why. A crash anywhere resumes at the last checkpoint; every step is idempotent, so the one
/// that was interrupted runs again without deleting anything twice, and the request completes once.
/// </summary>
internal sealed class ErasureFulfilment(
    IDbContextFactory<ApplicationDbContext> contexts,
    PersonalData data,
    FulfilmentCompletion completion,
    AuditWriter audit,
    FulfilmentJobs jobs,
    IDataProtectionProvider protection,
    RequestChangeNotifier notifier,
    IStringLocalizer<SharedResource> localizer,
    ChosenItems chosenItems,
    ManualTasks.ManualTaskService manualTasks)
{
    private readonly IDataProtector protector = protection.CreateProtector("DsrPortal.Fulfilment.ErasurePlan.v1");

    /// <summary>What a deletion request would do now, for the agent's and the subject's preview.</summary>
    public async Task<IReadOnlyList<ErasureStep>> PreviewAsync(DataSubjectRequest request, CancellationToken cancellationToken)
    {
        var keys = await data.KeysAsync(request.SubjectId, cancellationToken);
        return keys is null ? [] : await StepsAsync(keys, request, cancellationToken);
    }

    /// <summary>The steps now: the chosen records of a deletion of selected items, otherwise the chosen categories or everything.</summary>
    private async Task<IReadOnlyList<ErasureStep>> StepsAsync(SubjectKeys keys, DataSubjectRequest request, CancellationToken cancellationToken)
    {
        if (request.DeletionScope == DeletionScope.SelectedItems)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await chosenItems.PlanAsync(db, keys, request.Id, cancellationToken);
        }

        return await data.PlanErasureAsync(keys, Categories(request), cancellationToken);
    }

    public async Task RunAsync(FulfilmentJob job, JobLease lease, CancellationToken cancellationToken)
    {
        DataSubjectRequest? request;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == job.RequestId, cancellationToken);
        }

        if (request is null || request.Status != RequestStatus.Fulfilling)
        {
            await jobs.CancelAsync(lease, request, cancellationToken);
            return;
        }

        var resumed = job.ProtectedPlan is not null;
        var plan = resumed ? Unprotect(job.ProtectedPlan!) : await PlanAsync(lease, request, cancellationToken);
        for (var index = job.NextStep; index < plan.Steps.Count; index++)
        {
            var step = plan.Steps[index];
            var rows = await data.Source(step.Source).EraseAsync(step, cancellationToken);
            // The first step of a resumed run may have been done by the run that stopped before its checkpoint: done
            // again, it finds nothing left, so its count says so and the outcome takes the plan's.
            await CheckpointAsync(lease, request, step, rows, replayed: resumed && index == job.NextStep, cancellationToken);
            notifier.Publish(request.Id);
        }

        var note = ExceptionsNote(plan, await manualTasks.KeptAsync(request.Id, cancellationToken));
        var result = await completion.CompleteAsync(request.Id, note, async (db, _, now) =>
        {
            var held = await lease.HoldAsync(db, cancellationToken);
            held.CompleteErasure(lease.Owner, now);
        }, plan.WholeAccount && plan.FinalAddress is { } address ? (address, plan.Culture) : null, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The erased request could not be completed: {result.Error?.Kind}.");
        }
    }

    private async Task<StoredErasurePlan> PlanAsync(JobLease lease, DataSubjectRequest request, CancellationToken cancellationToken)
    {
        var keys = await data.KeysAsync(request.SubjectId, cancellationToken)
            ?? throw new InvalidOperationException("The subject's account no longer exists.");
        var steps = await StepsAsync(keys, request, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Who hears of it: the guardian or authorized agent who asked, otherwise the subject (never the staff member who logged it).
        var recipientId = RequestUnitOfWork.Recipient(request);
        var requester = await db.Users.AsNoTracking().Where(u => u.Id == recipientId)
            .Select(u => new { u.Email, u.PreferredCulture }).SingleOrDefaultAsync(cancellationToken);
        var wholeAccount = request.DeletionScope == DeletionScope.WholeAccount;
        var plan = new StoredErasurePlan(steps, requester?.Email, requester?.PreferredCulture ?? PortalCultures.English, wholeAccount);
        var stored = protector.Protect(JsonSerializer.Serialize(plan));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await lease.HoldAsync(db, cancellationToken);
        job.SavePlan(lease.Owner, stored, steps.Count);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return plan;
    }

    /// <summary>Saves that a step is done, renewing the lease; a runner that lost it stops here, and another carries on from the last checkpoint.</summary>
    private async Task CheckpointAsync(JobLease lease, DataSubjectRequest request, ErasureStep step, long rows, bool replayed, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await lease.HoldAsync(db, cancellationToken);
        var done = job.CompleteStep(lease.Owner);
        // Codes and counts only: the audit trail never holds the data or the keys.
        var details = new Dictionary<string, string?>
        {
            ["step"] = $"{done}/{job.TotalSteps}",
            ["source"] = step.Source,
            ["category"] = step.Category,
            ["action"] = step.Action.ToString(),
            ["planned"] = step.Rows.ToString(CultureInfo.InvariantCulture),
            ["rows"] = rows.ToString(CultureInfo.InvariantCulture),
        };
        if (replayed)
        {
            details["replayed"] = "true";
        }

        await audit.AppendAsync(db, RequestActor.System.ForAudit, AuditActions.ErasureStep, request.Id, request.SubjectId, details, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What was kept and why, in the requester's language (PIPL Art. 47); null when nothing was.</summary>
    private string? ExceptionsNote(StoredErasurePlan plan, IReadOnlyList<(string System, string Note)> keptByOwners)
    {
        var kept = plan.Steps.Where(s => s.Action == ErasureAction.Retain).ToList();
        if (kept.Count == 0 && keptByOwners.Count == 0)
        {
            return null;
        }

        using var _ = PortalCultures.Use(plan.Culture);
        var note = new StringBuilder();
        foreach (var (system, reason) in keptByOwners)
        {
            // The owner's own words: they answered the task knowing the person reads them.
            note.Append(localizer["Kept in {0}: {1}", system, reason]).AppendLine();
        }

        foreach (var step in kept)
        {
            var name = data.Inventory.Find(step.Category).Name.In(plan.Culture);
            var what = step.Columns.Count == 0
                ? localizer["Kept: {0} ({1} records).", name, step.Rows]
                // In plain words: the person reads this, and a column's name in the database means nothing to them.
                : localizer["Kept: part of {0} ({1} records).", name, step.Rows];
            note.Append(what).Append(' ').Append(localizer["Why: {0}", step.LegalBasis?.In(plan.Culture) ?? ""]).AppendLine();
        }

        note.Append(localizer["This data is now stored only: all other processing of it has stopped, and it will be deleted when the legal period ends."]);
        return note.ToString();
    }

    private StoredErasurePlan Unprotect(string stored) =>
        JsonSerializer.Deserialize<StoredErasurePlan>(protector.Unprotect(stored))
        ?? throw new InvalidOperationException("The stored erasure plan could not be read.");

    private static IReadOnlySet<string>? Categories(DataSubjectRequest request) =>
        request.DeletionScope == DeletionScope.WholeAccount ? null : request.CategoryList.Select(c => c.ToString()).ToHashSet();
}
