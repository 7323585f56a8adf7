using DsrPortal.Data;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Fulfilment;

/// <summary>The last move of an export or deletion the portal carried out itself: the request completes, and its requester is told.</summary>
internal sealed class FulfilmentCompletion(RequestUnitOfWork work)
{
    /// <summary>
    /// Closes a request whose automated fulfilment finished, together with whatever the job saves in
    /// the same transaction: the request, its audit events, its email and the job's end commit or fail together.
    /// </summary>
    /// <param name="finalAddress">For a completed log-off: the address (and language) taken before the account was anonymised.</param>
    public Task<WorkflowResult> CompleteAsync(
        Guid id, string? exceptionsNote, Func<ApplicationDbContext, DataSubjectRequest, DateTimeOffset, Task> alsoSave,
        (string Address, string Culture)? finalAddress = null, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, RequestActor.System, expectedVersion: null, async (db, request, now) =>
        {
            var from = exceptionsNote is null ? request.Complete(now) : request.CompleteWithExceptions(exceptionsNote, now);
            await work.StatusChangedAsync(db, RequestActor.System, request, from, finalAddress is null ? "request-completed" : null, cancellationToken: cancellationToken);
            if (finalAddress is { } to)
            {
                var values = work.Values(request);
                values.TryAdd("OutcomeNote", "");
                work.Notify(db, "account-deleted", request.SubjectId, request, values, to.Address, to.Culture);
            }

            await alsoSave(db, request, now);
        }, cancellationToken);
}
