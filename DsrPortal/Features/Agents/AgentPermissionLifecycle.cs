using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Agents;

/// <summary>What follows each move of a request an authorized agent made.</summary>
internal static class AgentPermissionLifecycle
{
    /// <summary>
    /// Once staff approve the request or it closes, the permission document has served its purpose and is
    /// deleted (only the decision stays); a finished export the agent may not receive is announced to the
    /// person it is about, who downloads it.
    /// </summary>
    public static async Task RequestMovedAsync(
        RequestUnitOfWork work, ApplicationDbContext db, RequestActor actor, DataSubjectRequest request, string? template, CancellationToken cancellationToken)
    {
        var authorization = await db.AgentAuthorizations.SingleOrDefaultAsync(a => a.RequestId == request.Id, cancellationToken);
        if (authorization is null)
        {
            return;
        }

        if ((request.Status == RequestStatus.Approved || request.IsClosed) && authorization.PurgeDocument())
        {
            await work.AuditAsync(db, actor, AuditActions.AgentDocumentPurged, request, cancellationToken: cancellationToken);
        }

        if (template == "request-completed" && request.Type == RequestType.Export && !authorization.DeliverToAgent)
        {
            work.Notify(db, template, request.SubjectId, request);
        }
    }
}
