using System.IO.Compression;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Features.Fulfilment;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Data;

/// <summary>
/// Two instances on one PostgreSQL; the first dies (its runner stops, heartbeat and all) in the middle of an export and
/// in the middle of a deletion. The second takes each job over when its lease ends and finishes it: one package, one
/// "completed" email, every erasure step once; the dead instance, if it ever wakes, writes nothing.
/// </summary>
public sealed class InstanceDeathTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly SourceCues cues = new();
    private PortalFactory dying = null!;
    private PortalFactory survivor = null!;

    public async Task InitializeAsync()
    {
        var settings = await cluster.SharedPortalSettingsAsync();
        settings["Fulfilment:Lease"] = "00:00:05";
        settings["Outbox:WorkerEnabled"] = "false";
        Dictionary<string, string?> Settings() => new(settings);
        dying = new PortalFactory(Settings(), configureServices: services => SourceCues.Wrap(services, cues));
        _ = dying.Server;
        survivor = new PortalFactory(Settings());
        _ = survivor.Server;
    }

    public async Task DisposeAsync()
    {
        cues.ReleaseAll();
        await survivor.DisposeAsync();
        await dying.DisposeAsync();
    }

    private async Task<Guid> ApprovedAsync(Func<RequestActor, NewRequest> details)
    {
        var workflow = survivor.Services.GetRequiredService<RequestWorkflow>();
        var subject = await survivor.ActorAsync("subject@demo.local");
        var agent = await survivor.ActorAsync("agent@demo.local");
        var request = (await workflow.SubmitAsync(details(subject), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        return request.Id;
    }

    /// <summary>The first instance takes the job and stops for good at the stall: no heartbeat, no checkpoint, nothing more.</summary>
    private async Task<Task> DieDuringAsync(SourceCues.Stall stall)
    {
        var killed = new CancellationTokenSource();
        var runner = Task.Run(async () =>
        {
            try
            {
                await dying.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync(killed.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await stall.Reached;
        await killed.CancelAsync();
        return runner;
    }

    private async Task<RequestStatus> FinishedBySurvivorAsync(Guid id) =>
        Enum.Parse<RequestStatus>(await Eventually.ValueAsync(async () =>
        {
            await survivor.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync();
            await using var db = survivor.CreateDbContext();
            var status = (await db.Requests.SingleAsync(r => r.Id == id)).Status;
            if (status is RequestStatus.Completed or RequestStatus.CompletedWithExceptions)
            {
                return status.ToString();
            }

            await Task.Delay(500);
            return null;
        }, TimeSpan.FromSeconds(60)));

    [Fact]
    public async Task An_instance_dying_mid_export_and_mid_deletion_leaves_the_other_to_finish_both_once()
    {
        // The export: the first instance dies after reading the first category.
        var export = await ApprovedAsync(s => s.Export());
        var dead = await DieDuringAsync(cues.StallAfterRead(1));
        Assert.Equal(RequestStatus.Completed, await FinishedBySurvivorAsync(export));

        // The deletion: the first instance dies right after its first step committed, before the checkpoint.
        var deletion = await ApprovedAsync(s => new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = s.UserId, RequesterId = s.UserId, DeletionScope = DeletionScope.SelectedCategories,
            Categories = [DataCategory.Photos, DataCategory.SearchRecords],
        });
        var deadAgain = await DieDuringAsync(cues.StallAfterErase(1));
        Assert.Equal(RequestStatus.Completed, await FinishedBySurvivorAsync(deletion));

        // Should the dead instance wake now, it finds its leases gone and writes nothing.
        cues.ReleaseAll();
        await Task.WhenAll(dead, deadAgain).WaitAsync(TimeSpan.FromSeconds(30));

        await using var db = survivor.CreateDbContext();
        foreach (var id in new[] { export, deletion })
        {
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.RequestId == id && m.Template == "request-completed"));
            var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
            // The dead runner's attempt is counted; the survivor's finished it.
            Assert.Equal((FulfilmentState.Completed, 1), (job.State, job.Attempts));
        }

        // One whole package, readable from either instance's side.
        var exportJob = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == export);
        var web = await survivor.SignedInClientAsync("subject@demo.local");
        var bytes = await web.GetByteArrayAsync($"/requests/{export}/export");
        Assert.Equal(exportJob.FileSize, bytes.LongLength);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            Assert.NotNull(zip.GetEntry("manifest.json"));
        }

        // Every step of the deletion checkpointed once, however many times it ran.
        var deletionJob = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == deletion);
        Assert.Equal(deletionJob.TotalSteps, await db.AuditEvents.CountAsync(e => e.RequestId == deletion && e.Action == AuditActions.ErasureStep));
        var subject = await survivor.ActorAsync("subject@demo.local");
        var held = await survivor.Services.GetRequiredService<DsrPortal.Features.DataSources.PersonalData>().DescribeAsync(subject.UserId, CancellationToken.None);
        Assert.Equal(0, held.Single(h => h.Category.Code == "Photos").Count);
    }
}
