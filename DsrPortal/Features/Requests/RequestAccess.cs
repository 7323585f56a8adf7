using DsrPortal.Data;
using DsrPortal.Features.Guardians;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Requests;

/// <summary>The named answers to "who may see or act on this request"; every page, endpoint and download asks one of them.</summary>
internal enum RequestAccessRule
{
    /// <summary>The people the request belongs to: its subject, whoever made it, and the subject's verified guardian.</summary>
    Party,

    /// <summary>The parties, customer-service staff and the portal itself: who may act on a request.</summary>
    PartyOrStaff,

    /// <summary>
    /// Who receives what fulfilment produced (the export package): the subject and their verified guardian,
    /// and whoever made the request, except an authorized agent whose person kept the download to themselves.
    /// Staff handle requests but never take a person's data home.
    /// </summary>
    Recipient,
}

/// <summary>
/// The one request access policy. Whoever is refused is told the request does not exist: from outside,
/// someone else's request and no request look the same.
/// </summary>
internal sealed class RequestAccess(GuardianService guardians)
{
    /// <summary>Whether the actor may see the request under the rule.</summary>
    public async Task<bool> AllowsAsync(
        ApplicationDbContext db, DataSubjectRequest request, RequestActor actor, RequestAccessRule rule, CancellationToken cancellationToken = default)
    {
        if (rule == RequestAccessRule.PartyOrStaff && (actor.IsStaff || actor.IsSystem))
        {
            return true;
        }

        if (request.SubjectId == actor.UserId)
        {
            return true;
        }

        if (request.RequesterId == actor.UserId && (rule != RequestAccessRule.Recipient || await MayReceiveAsync(db, request, cancellationToken)))
        {
            return true;
        }

        return await guardians.MayActForAsync(actor.UserId, request.SubjectId, cancellationToken);
    }

    /// <summary>The request when the actor may see it under the rule, otherwise null ("not found").</summary>
    public async Task<DataSubjectRequest?> FindAsync(
        ApplicationDbContext db, Guid id, RequestActor actor, RequestAccessRule rule, CancellationToken cancellationToken = default)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is not null && await AllowsAsync(db, request, actor, rule, cancellationToken) ? request : null;
    }

    /// <summary>Whether the actor may see the request with this id under the rule; false when there is none.</summary>
    public async Task<bool> AllowsAsync(ApplicationDbContext db, Guid id, RequestActor actor, RequestAccessRule rule, CancellationToken cancellationToken = default)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is not null && await AllowsAsync(db, request, actor, rule, cancellationToken);
    }

    /// <summary>The requests a person is a party to by their own account: about them, or made by them.</summary>
    public static IQueryable<DataSubjectRequest> Own(ApplicationDbContext db, string userId) =>
        db.Requests.AsNoTracking().Where(r => r.SubjectId == userId || r.RequesterId == userId);

    /// <summary>Every request a person is a party to: their own and those about the minors they are the verified guardian of.</summary>
    public async Task<IQueryable<DataSubjectRequest>> PartyToAsync(ApplicationDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        var wards = (await guardians.WardsAsync(userId, cancellationToken)).Select(w => w.MinorId).ToList();
        return db.Requests.AsNoTracking().Where(r => r.SubjectId == userId || r.RequesterId == userId || wards.Contains(r.SubjectId));
    }

    /// <summary>The requests about a minor, for their verified guardian; null for anyone else.</summary>
    public async Task<IQueryable<DataSubjectRequest>?> OfWardAsync(ApplicationDbContext db, string guardianId, string minorId, CancellationToken cancellationToken = default) =>
        await guardians.MayActForAsync(guardianId, minorId, cancellationToken)
            ? db.Requests.AsNoTracking().Where(r => r.SubjectId == minorId)
            : null;

    /// <summary>
    /// Whether whoever made the request takes its export home: never staff who logged it for a caller, an authorized
    /// agent only when the person chose so, anyone else (the subject, a guardian) always.
    /// </summary>
    private static async Task<bool> MayReceiveAsync(ApplicationDbContext db, DataSubjectRequest request, CancellationToken cancellationToken) =>
        request.Relation switch
        {
            RequesterRelation.AgentOnBehalf => false,
            RequesterRelation.AuthorizedAgent => await db.AgentAuthorizations.AnyAsync(a => a.RequestId == request.Id && a.DeliverToAgent, cancellationToken),
            _ => true,
        };
}
