using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Export;

/// <summary>
/// Builds an approved export's package into a file next to its final name, moves it into place, and
/// completes the request; the package stays downloadable for the configured number of days.
/// </summary>
internal sealed class ExportFulfilment(
    IDbContextFactory<ApplicationDbContext> contexts,
    PersonalData data,
    ExportPackageWriter writer,
    FulfilmentCompletion completion,
    AuditWriter audit,
    FulfilmentJobs jobs,
    TimeProvider clock,
    IOptionsMonitor<FulfilmentOptions> options,
    ExportPackages packages,
    ManualTasks.ManualTaskService manualTasks)
{
    public string Directory => packages.Directory;

    /// <summary>Where a package is when packages are kept in the directory.</summary>
    public string PackagePath(Guid jobId) => packages.PackagePath(jobId);

    /// <summary>The package wherever it is kept, and any part of one a run left behind.</summary>
    public Task DeletePackageAsync(Guid jobId, CancellationToken cancellationToken = default) => packages.DeleteAsync(jobId, cancellationToken);

    public async Task RunAsync(FulfilmentJob job, JobLease lease, CancellationToken cancellationToken)
    {
        DataSubjectRequest? request;
        string culture = "en";
        TimeZoneInfo? zone = null;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == job.RequestId, cancellationToken);
            // The cover page is for whoever asked: in their language, its time on their clock.
            var reader = request is null ? null
                : await db.Users.Where(u => u.Id == request.RequesterId).Select(u => new { u.PreferredCulture, u.TimeZone }).SingleOrDefaultAsync(cancellationToken);
            culture = reader?.PreferredCulture ?? "en";
            zone = Localization.ReaderTime.Find(reader?.TimeZone);
        }

        if (request is null || request.Status != RequestStatus.Fulfilling)
        {
            await jobs.CancelAsync(lease, request, cancellationToken);
            return;
        }

        var keys = await data.KeysAsync(request.SubjectId, cancellationToken)
            ?? throw new InvalidOperationException("The subject's account no longer exists.");
        System.IO.Directory.CreateDirectory(Directory);
        var path = PackagePath(job.Id);
        // A file of this run's own: a runner that stalled past its lease may still be writing one.
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        ExportManifest manifest;
        long size;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                manifest = await writer.WriteAsync(file, keys, request.Reference, culture, clock.GetUtcNow(),
                    async _ => await lease.RenewAsync(cancellationToken), zone, cancellationToken,
                    await manualTasks.ExportFilesAsync(request.Id, cancellationToken));
            }

            // Renewed just before: nobody else can take the job, and replace the package, for a whole lease.
            size = new FileInfo(partial).Length;
            await lease.RenewAsync(cancellationToken);
            await packages.StoreAsync(job.Id, partial, cancellationToken);
        }
        finally
        {
            File.Delete(partial);
        }

        var result = await completion.CompleteAsync(request.Id, exceptionsNote: null, async (db, subjectRequest, now) =>
        {
            var held = await lease.HoldAsync(db, cancellationToken);
            held.CompleteExport(lease.Owner, size, now.AddDays(options.CurrentValue.ExportLinkDays), now);
            await audit.AppendAsync(db, RequestActor.System.ForAudit, AuditActions.ExportReady, subjectRequest.Id, subjectRequest.SubjectId, new Dictionary<string, string?>
            {
                ["categories"] = manifest.Categories.Count.ToString(CultureInfo.InvariantCulture),
                ["records"] = manifest.Categories.Sum(c => c.Records).ToString(CultureInfo.InvariantCulture),
                ["files"] = manifest.Files.Count.ToString(CultureInfo.InvariantCulture),
                ["bytes"] = size.ToString(CultureInfo.InvariantCulture),
                ["expires"] = held.ExpiresAt!.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }, cancellationToken);
        }, cancellationToken: cancellationToken);
        // The package holds the owners' files now: their uploads go.
        await manualTasks.DeleteFilesAsync(request.Id, cancellationToken);
        if (!result.Succeeded)
        {
            // Withdrawn while the package was being written: nobody may download it. Cancelled first, which
            // holds the lease: a runner that lost it must not delete the package the other one delivered.
            await jobs.CancelAsync(lease, request, cancellationToken);
            await DeletePackageAsync(job.Id, cancellationToken);
        }
    }
}
