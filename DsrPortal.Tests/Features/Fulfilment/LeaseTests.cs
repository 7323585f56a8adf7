using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>
/// Two runners (two instances of the portal, as far as the database can tell) and one job: only one
/// holds it at a time, and one that stalled past its lease writes nothing once another took over.
/// </summary>
public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromHours(1);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly SourceCues cues = new();
    private readonly PortalFactory factory;
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    public LeaseTests() =>
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Outbox:WorkerEnabled"] = "false",
            // Long, so the background renewal (on the real clock) never runs: only the test's clock moves leases.
            ["Fulfilment:Lease"] = Lease.ToString(),
        }, clock, services => SourceCues.Wrap(services, cues));

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync()
    {
        cues.ReleaseAll();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task Of_two_lease_attempts_on_one_job_only_one_succeeds_until_the_lease_expires()
    {
        var id = await ApprovedAsync(subject.Export());
        var jobId = await JobIdAsync(id);
        var leases = factory.Services.GetRequiredService<FulfilmentLeases>();

        var attempts = await Task.WhenAll(leases.TryTakeAsync(jobId, "runner-a", default), leases.TryTakeAsync(jobId, "runner-b", default));

        var winner = Assert.Single(attempts, a => a is not null)!;
        Assert.Null(await leases.TryTakeAsync(jobId, "runner-c", default));
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.NotNull(await leases.TryTakeAsync(jobId, "runner-c", default));
        Assert.False(await leases.RenewAsync(jobId, winner.Owner, default));
    }

    [Fact]
    public async Task A_second_runner_leaves_alone_a_job_the_first_is_running()
    {
        var id = await ApprovedAsync(subject.Export());
        var stall = cues.StallAfterRead(1);
        var first = factory.Services.GetRequiredService<FulfilmentRunner>();
        var second = ActivatorUtilities.CreateInstance<FulfilmentRunner>(factory.Services);

        var running = Task.Run(() => first.RunDueAsync());
        await stall.Reached;
        var readsBefore = cues.Reads;

        Assert.Equal(0, await second.RunDueAsync());

        Assert.Equal(readsBefore, cues.Reads);
        stall.Release();
        Assert.Equal(1, await running);
        await using var db = factory.CreateDbContext();
        var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
        Assert.Equal((FulfilmentState.Completed, 0), (job.State, job.Attempts));
        Assert.Equal(RequestStatus.Completed, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.ExportReady));
        Assert.Equal([$"{job.Id:N}.zip"], Directory.GetFiles(Path.Combine(factory.Folder, "exports")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_runner_that_stalled_past_its_lease_writes_nothing_and_the_runner_that_took_over_resumes_at_the_checkpoint()
    {
        var id = await ApprovedAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.SelectedCategories,
            Categories = [DataCategory.Photos, DataCategory.SearchRecords, DataCategory.Comments],
        });
        // The first runner saves step one's checkpoint, erases step two, then hangs before saving it.
        var firstStall = cues.StallAfterErase(2);
        var first = factory.Services.GetRequiredService<FulfilmentRunner>();
        var stalled = Task.Run(() => first.RunDueAsync());
        await firstStall.Reached;

        // Its lease runs out; a second runner takes the job over and is in the middle of step two when the first wakes.
        clock.Advance(Lease + TimeSpan.FromMinutes(1));
        var secondStall = cues.StallAfterErase(3);
        var second = ActivatorUtilities.CreateInstance<FulfilmentRunner>(factory.Services);
        var takenOver = Task.Run(() => second.RunDueAsync());
        await secondStall.Reached;
        firstStall.Release();

        Assert.Equal(0, await stalled);
        await using (var during = factory.CreateDbContext())
        {
            var held = await during.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
            Assert.Equal((FulfilmentState.Running, 1, 1), (held.State, held.NextStep, held.Attempts));
            Assert.Equal(1, await during.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.ErasureStep));
        }

        secondStall.Release();
        Assert.Equal(1, await takenOver);
        await using var db = factory.CreateDbContext();
        var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
        Assert.Equal((FulfilmentState.Completed, job.TotalSteps, 1, null), (job.State, job.NextStep, job.Attempts, job.LeaseOwner));
        Assert.True(job.TotalSteps >= 3);
        // The second runner started at step two: step one ran once, step two twice (by each runner), the rest once.
        var erased = cues.Erased;
        Assert.Equal(job.TotalSteps + 1, erased.Count);
        Assert.Single(erased, s => s == erased[0]);
        Assert.Equal(2, erased.Count(s => s == erased[1]));
        // Each checkpoint saved once, and the request completed once: nothing from the runner that lost its lease.
        var steps = await db.AuditEvents.Where(e => e.RequestId == id && e.Action == AuditActions.ErasureStep).Select(e => e.Details).ToListAsync();
        Assert.Equal(Enumerable.Range(1, job.TotalSteps).Select(n => $"{n}/{job.TotalSteps}"),
            steps.Select(d => System.Text.Json.JsonDocument.Parse(d).RootElement.GetProperty("step").GetString()));
        Assert.Equal(RequestStatus.Completed, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.RequestStatusChanged && e.Details.Contains("\"Completed\"")));
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.RequestId == id && m.Template == "request-completed"));
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    private async Task<Guid> ApprovedAsync(NewRequest details)
    {
        var request = (await Workflow.SubmitAsync(details, subject, "Signed-in session")).Request!;
        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        return request.Id;
    }

    private async Task<Guid> JobIdAsync(Guid requestId)
    {
        await using var db = factory.CreateDbContext();
        return await db.FulfilmentJobs.Where(j => j.RequestId == requestId).Select(j => j.Id).SingleAsync();
    }
}
