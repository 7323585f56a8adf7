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
    IDbContextFactory<ApplicationDbContext> contexts, ExportPackages packages, RequestAccess access, AuditWriter audit, TimeProvider clock)
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

    /// <summary>Whether the caller is one the package may be handed to (<see cref="RequestAccessRule.Recipient"/>).</summary>
    public async Task<bool> IsCallersAsync(Guid requestId, RequestActor caller, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await access.AllowsAsync(db, requestId, caller, RequestAccessRule.Recipient, cancellationToken);
    }

    public async Task<(ExportPackage Package, string FileName)?> OpenAsync(Guid requestId, RequestActor caller, string channel, Action<DownloadRefusal>? refused = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The requester, the subject, or the subject's verified guardian; anyone else cannot tell the package exists.
        var request = await access.FindAsync(db, requestId, caller, RequestAccessRule.Recipient, cancellationToken);
        if (request?.Type != RequestType.Export)
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

        var package = job.State == FulfilmentState.Expired || job.ExpiresAt <= now ? null : await packages.FindAsync(job.Id, job.FileSize ?? 0, cancellationToken);
        if (package is null)
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
        return (package, $"{request.Reference}-export.zip");
    }
}
