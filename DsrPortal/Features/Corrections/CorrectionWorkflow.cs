using System.Text;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static DsrPortal.Features.Requests.RequestRuleException;
using static DsrPortal.Features.Requests.RequestUnitOfWork;

namespace DsrPortal.Features.Corrections;

/// <summary>The agent's verdict on one field of a correction request.</summary>
public sealed record CorrectionVerdict(long ItemId, bool Accept, string? Reason);

/// <summary>Correction requests: the fields asked for, read from their sources, and the agent's field-by-field decision.</summary>
internal sealed class CorrectionWorkflow(RequestUnitOfWork work, DataSources.PersonalData data, IStringLocalizer<SharedResource> localizer)
{
    /// <summary>The listed fields of a correction, with the value each has now; checked before anything is saved.</summary>
    public async Task<List<CorrectionItem>> PrepareAsync(NewRequest details, CancellationToken cancellationToken)
    {
        var asked = details.Type == RequestType.Correction
            ? details.Corrections?.Where(c => !PortalText.IsBlank(c.Value)).ToList() ?? []
            : [];
        if (asked.Count == 0)
        {
            return [];
        }

        Require(asked.All(c => data.CorrectableFields.Any(f => f.Key == c.Key)), "Choose the fields to correct from the list.");
        var keys = await data.KeysAsync(details.SubjectId, cancellationToken);
        var items = new List<CorrectionItem>();
        foreach (var (field, value) in asked)
        {
            var current = keys is null ? null : await data.SourceOfField(field).ReadFieldAsync(keys, field, cancellationToken);
            items.Add(CorrectionItem.Ask(field, current, value));
        }

        return items;
    }

    /// <summary>
    /// Applies the accepted fields through their sources, then records every decision and completes the
    /// request with a field-by-field outcome for the requester. Nothing is recorded unless every accepted
    /// field was applied; applying a value again is harmless, so a retry after an error is safe.
    /// </summary>
    public async Task<WorkflowResult> DecideAsync(
        Guid id, IReadOnlyList<CorrectionVerdict> verdicts, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        DataSubjectRequest? request;
        List<CorrectionItem> items;
        string culture;
        await using (var db = await work.CreateDbContextAsync(cancellationToken))
        {
            request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (request is null || !actor.IsStaff)
            {
                return WorkflowResult.NotFound();
            }

            items = await db.CorrectionItems.AsNoTracking().Where(c => c.RequestId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
            culture = await PreferredCultureAsync(db, request.RequesterId, cancellationToken) ?? PortalCultures.English;
        }

        try
        {
            Require(request.Status == RequestStatus.InProgress, "Only a request in progress can be decided.");
            Require(request.AssigneeId == actor.UserId || actor.IsSupervisor, "Claim the request before acting on it.");
            Require(items.Count > 0 && items.All(i => verdicts.Any(v => v.ItemId == i.Id)), "Accept or refuse every field before applying the decisions.");
            Require(verdicts.All(v => v.Accept || !PortalText.IsBlank(v.Reason)), "Give the reason for every field you refuse: the requester is told.");
            Require(verdicts.All(v => (v.Reason?.Trim().Length ?? 0) <= CorrectionItem.ReasonMaxLength), "Keep each reason to 1000 characters.");

            var keys = await data.KeysAsync(request.SubjectId, cancellationToken);
            foreach (var item in items.Where(i => verdicts.Single(v => v.ItemId == i.Id).Accept))
            {
                var applied = keys is not null && await data.SourceOfField(item.Field).CorrectAsync(keys, item.Field, item.ProposedValue, cancellationToken);
                Require(applied, "A field could not be changed because the subject has no such record there. Refuse it with that reason instead.");
            }
        }
        catch (RequestRuleException e)
        {
            return WorkflowResult.Rule(e);
        }

        return await work.StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, tracked, now) =>
        {
            var rows = await db.CorrectionItems.Where(c => c.RequestId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
            foreach (var item in rows)
            {
                var verdict = verdicts.Single(v => v.ItemId == item.Id);
                item.Decide(verdict.Accept, verdict.Reason, now);
                // The field's name and the decision; never the values.
                await work.AuditAsync(db, actor, AuditActions.CorrectionDecided, tracked, new Dictionary<string, string?>
                {
                    ["field"] = item.Field,
                    ["decision"] = item.Decision.ToString(),
                }, cancellationToken);
            }

            var from = tracked.Approve(now);
            await work.StatusChangedAsync(db, actor, tracked, from, cancellationToken: cancellationToken);
            from = tracked.StartFulfilment(now);
            await work.StatusChangedAsync(db, actor, tracked, from, cancellationToken: cancellationToken);
            from = tracked.Complete(now, Outcome(rows, culture));
            await work.StatusChangedAsync(db, actor, tracked, from, "request-corrected", cancellationToken: cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Field by field, in the requester's language: what changed, and why anything did not.</summary>
    private string Outcome(IEnumerable<CorrectionItem> items, string culture)
    {
        using var _ = PortalCultures.Use(culture);
        var text = new StringBuilder();
        foreach (var item in items)
        {
            var (place, field) = CorrectionLabels.Of(item.Field);
            var name = $"{localizer[place]} · {localizer[field]}";
            text.AppendLine(item.Decision == CorrectionDecision.Accepted
                ? localizer["{0}: changed to \"{1}\".", name, item.ProposedValue]
                : localizer["{0}: not changed. {1}", name, item.Reason ?? ""]);
        }

        return text.ToString().TrimEnd();
    }
}
