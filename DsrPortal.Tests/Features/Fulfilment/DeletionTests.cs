using System.Net.Http.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>
/// Deletions acting on the demo service database: rows counted before and after for the subject and for a
/// neighbour (the guardian's account), retention rules honoured, and a crash mid-way resumed.
/// </summary>
public sealed class DeletionTests : IAsyncLifetime
{
    private static readonly string[] DeletedTables =
        ["dynamics", "photos", "comments", "likes", "search_records", "reading_records", "interaction_records"];

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private readonly CrashingSources crashes = new();
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    public DeletionTests() =>
        // Every source wrapped, so a test can make the service database "crash" right after a step committed.
        factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock, crashes.WrapSources);

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    private FulfilmentRunner Runner => factory.Services.GetRequiredService<FulfilmentRunner>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Selected_categories_are_deleted_at_once_for_the_subject_only_with_their_photo_files()
    {
        var subjectId = factory.UserId(ServiceDb.SubjectPhone);
        var neighbourBefore = NeighbourCounts();
        var subjectPhotos = factory.Rows("SELECT file_name FROM photos WHERE user_id = @v", subjectId).Select(r => Path.Combine(factory.MediaFolder, (string)r["file_name"]!)).ToList();
        var commentsBefore = factory.CountForUserId("comments", subjectId);
        Assert.All(subjectPhotos, f => Assert.True(File.Exists(f)));

        var id = await ApprovedDeletionAsync(DeletionScope.SelectedCategories, [DataCategory.Photos, DataCategory.SearchRecords]);
        Assert.Equal(1, await Runner.RunDueAsync());

        Assert.Equal(0, factory.CountForUserId("photos", subjectId));
        Assert.Equal(0, factory.CountForUserId("search_records", subjectId));
        Assert.Equal(commentsBefore, factory.CountForUserId("comments", subjectId));
        Assert.All(subjectPhotos, f => Assert.False(File.Exists(f)));
        Assert.Equal(neighbourBefore, NeighbourCounts());
        Assert.NotEmpty(Directory.GetFiles(factory.MediaFolder));
        await using var db = factory.CreateDbContext();
        Assert.Equal(RequestStatus.Completed, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
        Assert.Equal("subject@demo.local", (await db.Users.SingleAsync(u => u.Id == subject.UserId)).Email);
    }

    [Fact]
    public async Task A_log_off_waits_out_the_cooling_off_then_deletes_keeps_what_the_law_requires_and_anonymises_the_account()
    {
        var subjectId = factory.UserId(ServiceDb.SubjectPhone);
        var neighbourBefore = NeighbourCounts();
        var devices = factory.CountForUserId("devices", subjectId);
        var sharing = factory.CountForUserId("sharing_records", subjectId);

        var id = await ApprovedDeletionAsync(DeletionScope.WholeAccount, []);
        var api = await factory.ApiClientAsync("subject@demo.local");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/requests")).StatusCode);
        Assert.Equal(0, await Runner.RunDueAsync());
        clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal(0, await Runner.RunDueAsync());
        Assert.Equal(1, factory.CountFor("users", ServiceDb.SubjectPhone));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner.RunDueAsync());

        Assert.Equal(0, factory.CountFor("users", ServiceDb.SubjectPhone));
        Assert.All(DeletedTables, t => Assert.Equal(0, factory.CountForUserId(t, subjectId)));
        // Kept under a legal basis: the sharing records whole, and of the devices only the access times; the rest is gone or a pseudonym.
        Assert.Equal(sharing, factory.CountForUserId("sharing_records", subjectId));
        var kept = factory.Rows("SELECT * FROM devices WHERE user_id = @v", subjectId);
        Assert.Equal(devices, kept.Count);
        Assert.All(kept, d =>
        {
            Assert.Null(d["model"]);
            Assert.Null(d["os"]);
            Assert.StartsWith("psn-", (string)d["device_identifier"]!);
            Assert.NotNull(d["last_seen_at"]);
        });
        Assert.Equal(neighbourBefore, NeighbourCounts());

        await using var db = factory.CreateDbContext();
        var request = await db.Requests.SingleAsync(r => r.Id == id);
        Assert.Equal(RequestStatus.CompletedWithExceptions, request.Status);
        Assert.Contains("Records of data provided to third parties", request.OutcomeNote);
        Assert.Contains("PIPL Art. 56", request.OutcomeNote);
        Assert.Contains("stored only", request.OutcomeNote);
        var account = await db.Users.SingleAsync(u => u.Id == subject.UserId);
        Assert.Equal($"deleted-{subject.UserId}@invalid", account.Email);
        Assert.Null(account.ProtectedPhoneNumber);
        Assert.Null(account.PasswordHash);
        Assert.Equal("", account.Nickname);
        // The last email goes to the address the person had, once; the address leaves the outbox when it is sent.
        var last = await db.OutboxMessages.SingleAsync(m => m.RequestId == id && m.Template == "account-deleted");
        Assert.Equal("subject@demo.local", last.Address);
        Assert.DoesNotContain(await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync(), t => t == "request-completed");
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);

        // Signed out everywhere: the mobile app's token stops working at once, and the password no longer signs in.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/requests")).StatusCode);
        var again = await factory.CreateBrowserLikeClient().PostFormAsync("/Account/Login", PortalForms.Login("subject@demo.local", PortalForms.DemoPassword), "login");
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("the email or password is not correct", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_crash_right_after_a_step_committed_resumes_there_deletes_nothing_twice_and_completes_once()
    {
        var subjectId = factory.UserId(ServiceDb.SubjectPhone);
        var neighbourBefore = NeighbourCounts();
        var planned = DeletedTables.ToDictionary(t => t, t => factory.CountForUserId(t, subjectId));
        crashes.AfterErasure = 4;

        var id = await ApprovedDeletionAsync(DeletionScope.WholeAccount, []);
        clock.Advance(TimeSpan.FromDays(15) + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Runner.RunDueAsync());

        await using (var db = factory.CreateDbContext())
        {
            var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
            Assert.Equal((FulfilmentState.Scheduled, 3, 1), (job.State, job.NextStep, job.Attempts));
            Assert.Equal(RequestStatus.Fulfilling, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
        }

        // Step four's delete committed before the crash, but its checkpoint was never saved.
        Assert.Equal(4, crashes.Erased);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await Runner.RunDueAsync());

        Assert.All(DeletedTables, t => Assert.Equal(0, factory.CountForUserId(t, subjectId)));
        Assert.Equal(neighbourBefore, NeighbourCounts());
        await using var after = factory.CreateDbContext();
        Assert.Equal(RequestStatus.CompletedWithExceptions, (await after.Requests.SingleAsync(r => r.Id == id)).Status);
        Assert.Equal(1, await after.OutboxMessages.CountAsync(m => m.RequestId == id && m.Template == "account-deleted"));
        Assert.Equal(FulfilmentState.Completed, (await after.FulfilmentJobs.SingleAsync(j => j.RequestId == id)).State);
        Assert.Null((await after.FulfilmentJobs.SingleAsync(j => j.RequestId == id)).ProtectedPlan);

        // Per category, the audited rows add up to what was there: the re-run step found nothing left to delete.
        // The same figures the request page shows under "What this deletion did".
        var outcome = await DsrPortal.Features.Deletion.ErasureOutcome.ReadAsync(after, id);
        var steps = outcome.Where(o => o.Action == ErasureAction.DeleteRows).ToDictionary(o => o.Category, o => o.Rows);
        Assert.Contains(outcome, o => o.Action == ErasureAction.Retain);
        Assert.Equal(planned["reading_records"], steps["ReadingRecords"]);
        Assert.Equal(planned["photos"], steps["Photos"]);
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(after)).Intact);
    }

    [Fact]
    public async Task Withdrawing_during_the_cooling_off_keeps_everything()
    {
        var subjectId = factory.UserId(ServiceDb.SubjectPhone);
        var before = factory.CountForUserId("reading_records", subjectId);
        var id = await ApprovedDeletionAsync(DeletionScope.WholeAccount, []);

        Assert.True((await Workflow.WithdrawAsync(id, subject)).Succeeded);
        clock.Advance(TimeSpan.FromDays(16));
        await Runner.RunDueAsync();

        Assert.Equal(before, factory.CountForUserId("reading_records", subjectId));
        await using var db = factory.CreateDbContext();
        Assert.Equal(FulfilmentState.Cancelled, (await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id)).State);
        Assert.Equal("subject@demo.local", (await db.Users.SingleAsync(u => u.Id == subject.UserId)).Email);
    }

    private Dictionary<string, long> NeighbourCounts() =>
        ServiceDb.UserTables.Append("users").ToDictionary(t => t, t => factory.CountFor(t, ServiceDb.GuardianPhone));

    private async Task<Guid> ApprovedDeletionAsync(DeletionScope scope, IReadOnlyList<DataCategory> categories)
    {
        var request = (await Workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = scope, Categories = [.. categories],
        }, subject, "Signed-in session")).Request!;
        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        return request.Id;
    }
}
