using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Export;

/// <summary>Where an export request's package stands, as its requester sees it.</summary>
internal sealed record ExportStatus(FulfilmentState State, DateTimeOffset? ExpiresAt, long? FileSize, int Downloads, string? LastError, int Attempts);

internal enum DownloadRefusal
{
    /// <summary>No such request, not the caller's, or no package: indistinguishable from outside.</summary>
    NotFound,
    /// <summary>The caller's package, but its download period ended and the file is gone.</summary>
    Expired,
}

/// <summary>
/// Hands an export package to its requester, and only to them: the request must be theirs (as subject
/// or requester), the package ready and not expired. Every download is audited before the file is sent.
/// </summary>
internal sealed class ExportDownloads(
    IDbContextFactory<ApplicationDbContext> contexts, ExportFulfilment exports, Guardians.GuardianService guardians, AuditWriter audit, TimeProvider clock)
{
    public async Task<ExportStatus?> StatusAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.FulfilmentJobs.AsNoTracking()
            .Where(j => j.RequestId == requestId && j.Kind == FulfilmentKind.Export)
            .OrderByDescending(j => j.CreatedAt)
            .Select(j => new ExportStatus(j.State, j.ExpiresAt, j.FileSize, j.Downloads, j.LastError, j.Attempts))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<bool> IsCallersAsync(Guid requestId, RequestActor caller, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId).Select(r => new { r.SubjectId, r.RequesterId, r.Relation }).SingleOrDefaultAsync(cancellationToken);
        return request is not null && (request.SubjectId == caller.UserId
            || (request.RequesterId == caller.UserId && await AgentMayReceiveAsync(db, requestId, request.Relation, cancellationToken))
            || await guardians.MayActForAsync(caller.UserId, request.SubjectId, cancellationToken));
    }

    /// <summary>An authorized agent receives the export only when the person chose so; other requesters always do.</summary>
    private static async Task<bool> AgentMayReceiveAsync(ApplicationDbContext db, Guid requestId, RequesterRelation relation, CancellationToken cancellationToken) =>
        relation != RequesterRelation.AuthorizedAgent
        || await db.AgentAuthorizations.AnyAsync(a => a.RequestId == requestId && a.DeliverToAgent, cancellationToken);

    public async Task<(string Path, string FileName)?> OpenAsync(Guid requestId, RequestActor caller, string channel, Action<DownloadRefusal>? refused = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The requester, the subject, or the subject's verified guardian; anyone else cannot tell the package exists.
        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == requestId && r.Type == RequestType.Export)
            .SingleOrDefaultAsync(cancellationToken);
        if (request is not null && request.SubjectId != caller.UserId
            && !(request.RequesterId == caller.UserId && await AgentMayReceiveAsync(db, request.Id, request.Relation, cancellationToken))
            && !await guardians.MayActForAsync(caller.UserId, request.SubjectId, cancellationToken))
        {
            request = null;
        }

        var job = request is null ? null : await db.FulfilmentJobs
            .Where(j => j.RequestId == requestId && j.Kind == FulfilmentKind.Export && (j.State == FulfilmentState.Completed || j.State == FulfilmentState.Expired))
            .OrderByDescending(j => j.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (request is null || job is null)
        {
            refused?.Invoke(DownloadRefusal.NotFound);
            return null;
        }

        var path = exports.PackagePath(job.Id);
        if (job.State == FulfilmentState.Expired || job.ExpiresAt <= now || !File.Exists(path))
        {
            refused?.Invoke(DownloadRefusal.Expired);
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        job.RecordDownload(now);
        await audit.AppendAsync(db, caller.ForAudit, AuditActions.ExportDownloaded, request.Id, request.SubjectId, new Dictionary<string, string?>
        {
            ["channel"] = channel,
            ["download"] = job.Downloads.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (path, $"{request.Reference}-export.zip");
    }
}
