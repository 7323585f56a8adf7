using DsrPortal.Data;
using DsrPortal.Features.Requests;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Fulfilment;

/// <summary>Decides, at approval, which requests the portal carries out itself and when.</summary>
internal sealed class FulfilmentScheduler(IOptionsMonitor<FulfilmentOptions> options)
{
    /// <summary>Exports, and deletions of the whole account or of whole categories, run automatically.</summary>
    public static bool IsAutomated(DataSubjectRequest request) =>
        request.Type == RequestType.Export
        || (request.Type == RequestType.Deletion && request.DeletionScope is DeletionScope.WholeAccount or DeletionScope.SelectedCategories)
        || (request.Type == RequestType.Deletion && request.DeletionScope == DeletionScope.SelectedItems && request.ChosenItems > 0);

    public int CoolingOffDays => options.CurrentValue.CoolingOffDays;

    public DateTimeOffset CoolingOffEnds(DateTimeOffset approvedAt) => approvedAt.AddDays(CoolingOffDays);

    /// <summary>Adds the job to the approval's unit of work; null when an agent carries the request out by hand.</summary>
    public FulfilmentJob? Schedule(ApplicationDbContext db, DataSubjectRequest request, DateTimeOffset now)
    {
        if (!IsAutomated(request))
        {
            return null;
        }

        var job = FulfilmentJob.Schedule(
            request.Id,
            request.Type == RequestType.Export ? FulfilmentKind.Export : FulfilmentKind.Erasure,
            now,
            // A log-off waits out the cooling-off period, during which the subject can still withdraw.
            notBefore: request.DeletionScope == DeletionScope.WholeAccount ? CoolingOffEnds(now) : now);
        db.FulfilmentJobs.Add(job);
        return job;
    }
}
