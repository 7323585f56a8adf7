using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>A deletion that gave up after its attempts: a supervisor sends it back, audited; an agent cannot.</summary>
public sealed class RetryFulfilmentTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly SourceCues cues = new();
    private readonly PortalFactory factory;
    private RequestActor subject = null!;
    private RequestActor agent = null!;
    private RequestActor supervisor = null!;

    public RetryFulfilmentTests() =>
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Outbox:WorkerEnabled"] = "false",
            ["Fulfilment:MaxAttempts"] = "1",
        }, clock, services => SourceCues.Wrap(services, cues));

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    private FulfilmentRunner Runner => factory.Services.GetRequiredService<FulfilmentRunner>();

    private RetryFulfilmentHandler Retries => factory.Services.GetRequiredService<RetryFulfilmentHandler>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
        supervisor = await factory.ActorAsync("supervisor@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_supervisors_retry_resumes_the_failed_job_at_its_checkpoint_and_is_audited()
    {
        var (requestId, job) = await FailedDeletionAsync();

        Assert.Null(await Retries.RetryAsync(job.Id, supervisor));

        await using (var db = factory.CreateDbContext())
        {
            var retried = await db.FulfilmentJobs.SingleAsync(j => j.Id == job.Id);
            Assert.Equal((FulfilmentState.Scheduled, 0, 1), (retried.State, retried.Attempts, retried.NextStep));
            var audited = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.FulfilmentRetried);
            Assert.Equal((supervisor.UserId, "Supervisor", requestId), (audited.ActorId, audited.ActorRole, audited.RequestId));
            Assert.Contains("IOException", audited.Details);
        }

        Assert.Equal(1, await Runner.RunDueAsync());
        await using var after = factory.CreateDbContext();
        Assert.Equal(RequestStatus.Completed, (await after.Requests.SingleAsync(r => r.Id == requestId)).Status);
        Assert.Equal(FulfilmentState.Completed, (await after.FulfilmentJobs.SingleAsync(j => j.Id == job.Id)).State);
        // Resumed after the saved checkpoint: the first step was not run again.
        Assert.Single(cues.Erased, s => s == cues.Erased[0]);
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(after)).Intact);
    }

    [Fact]
    public async Task An_agents_retry_is_refused_and_changes_nothing()
    {
        var (_, job) = await FailedDeletionAsync();

        var refused = await Retries.RetryAsync(job.Id, agent);

        Assert.Equal((WorkflowErrorKind.Rule, "Only a supervisor can retry a failed export or deletion."), (refused?.Kind, refused?.Key));
        await using var db = factory.CreateDbContext();
        var unchanged = await db.FulfilmentJobs.SingleAsync(j => j.Id == job.Id);
        Assert.Equal((job.State, job.Attempts, job.NextStep, job.NotBefore), (unchanged.State, unchanged.Attempts, unchanged.NextStep, unchanged.NotBefore));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.FulfilmentRetried));
        Assert.Equal(0, await Runner.RunDueAsync());
    }

    [Fact]
    public async Task Only_a_failed_job_can_be_retried()
    {
        var (_, job) = await FailedDeletionAsync();
        Assert.Null(await Retries.RetryAsync(job.Id, supervisor));

        var again = await Retries.RetryAsync(job.Id, supervisor);

        Assert.Equal("Only a failed export or deletion can be retried.", again?.Key);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.FulfilmentRetried));
    }

    /// <summary>A deletion whose second step failed once; with one attempt allowed, the job gave up after step one's checkpoint.</summary>
    private async Task<(Guid RequestId, FulfilmentJob Job)> FailedDeletionAsync()
    {
        var request = (await Workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.SelectedCategories,
            Categories = [DataCategory.Photos, DataCategory.SearchRecords, DataCategory.Comments],
        }, subject, "Signed-in session")).Request!;
        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        cues.FailAtErase = 2;
        Assert.Equal(1, await Runner.RunDueAsync());
        await using var db = factory.CreateDbContext();
        var job = await db.FulfilmentJobs.AsNoTracking().SingleAsync(j => j.RequestId == request.Id);
        Assert.Equal((FulfilmentState.Failed, 1, 1), (job.State, job.Attempts, job.NextStep));
        return (request.Id, job);
    }
}
