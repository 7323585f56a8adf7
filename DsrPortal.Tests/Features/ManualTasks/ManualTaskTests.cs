using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.ManualTasks;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.ManualTasks;

/// <summary>
/// A system with neither SQL nor HTTP access: its owner gets a task per export or deletion, the request waits for the
/// answer (no failures counted), reminders follow on a frozen clock, and the answer joins the ZIP or the deletion's outcome.
/// </summary>
public sealed class ManualTaskTests : IAsyncLifetime
{
    private const string Owner = "archive.owner@example.com";
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private PortalFactory factory = null!;
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    public async Task InitializeAsync()
    {
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Outbox:WorkerEnabled"] = "false",
            ["Fulfilment:CoolingOffDays"] = "0",
            // Uploads and packages in the database (the browser journey keeps them in the directory).
            ["Fulfilment:ExportStorage"] = "Database",
            ["DataSources:Manual:0:Name"] = "crm-archive",
            ["DataSources:Manual:0:OwnerEmail"] = Owner,
            ["DataSources:Manual:0:Categories:0:Category"] = "ArchivedTickets",
            ["DataSources:Manual:0:Categories:0:Name:en"] = "Your old support tickets",
        }, clock);
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    private FulfilmentRunner Runner => factory.Services.GetRequiredService<FulfilmentRunner>();

    private ManualTaskService Tasks => factory.Services.GetRequiredService<ManualTaskService>();

    private async Task<Guid> ApprovedAsync(NewRequest details)
    {
        var request = (await Workflow.SubmitAsync(details, subject, "session")).Request!;
        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        return request.Id;
    }

    /// <summary>The links sent to the owner for a request, oldest first, by template.</summary>
    private async Task<List<(string Template, string Link)>> OwnerMailAsync(Guid requestId)
    {
        await using var db = factory.CreateDbContext();
        var messages = await db.OutboxMessages.Where(m => m.RequestId == requestId && m.Address == Owner).OrderBy(m => m.Id).ToListAsync();
        return [.. messages.Select(m => (m.Template, JsonDocument.Parse(m.Values).RootElement.GetProperty("Link").GetString()!))];
    }

    private static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task An_export_waits_for_the_owners_file_with_reminders_then_carries_it_in_the_zip()
    {
        var id = await ApprovedAsync(subject.Export());
        Assert.Equal(0, await Runner.RunDueAsync());
        Assert.Equal(0, await Runner.RunDueAsync());
        var sent = Assert.Single(await OwnerMailAsync(id));
        Assert.Equal(ManualTaskService.TaskTemplate, sent.Template);
        await using (var db = factory.CreateDbContext())
        {
            var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
            Assert.Equal((FulfilmentState.Scheduled, 0), (job.State, job.Attempts));
            Assert.Equal(RequestStatus.Fulfilling, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
            // The token is stored only as its hash (and encrypted for the reminders).
            var task = await db.ManualTasks.SingleAsync(t => t.RequestId == id);
            Assert.DoesNotContain(TokenOf(sent.Link), task.TokenHash + task.ProtectedToken);
        }

        // Two days without an answer: the owner is reminded with the same link, once per period.
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await Tasks.RemindAsync(2, CancellationToken.None));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await Tasks.RemindAsync(2, CancellationToken.None));
        Assert.Equal(0, await Tasks.RemindAsync(2, CancellationToken.None));
        Assert.Equal([ManualTaskService.TaskTemplate, ManualTaskService.ReminderTemplate], (await OwnerMailAsync(id)).Select(m => m.Template));
        Assert.Equal(sent.Link, (await OwnerMailAsync(id))[^1].Link);

        // The page shows whose data it is while the task is open; a forged link opens nothing.
        var web = factory.CreateClient();
        var page = await web.GetStringAsync($"/tasks/{TokenOf(sent.Link)}");
        Assert.Contains("crm-archive", page);
        var forged = await web.GetAsync("/tasks/forged-token-of-a-plausible-length-0000");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        Assert.Equal(WorkflowErrorKind.NotFound, (await Tasks.AnswerAsync("forged-token-of-a-plausible-length-0000", ManualTaskAnswer.NothingHeld, null, null, CancellationToken.None)).Error?.Kind);
        Assert.Equal("Upload the export file from the system.", (await Tasks.AnswerAsync(TokenOf(sent.Link), ManualTaskAnswer.Done, null, null, CancellationToken.None)).Error?.Key);
        await using (var upload = new MemoryStream(Encoding.UTF8.GetBytes("ticket,opened\n4711,2025-03-01\n")))
        {
            Assert.True((await Tasks.AnswerAsync(TokenOf(sent.Link), ManualTaskAnswer.Done, null, ("../../tickets.csv", upload), CancellationToken.None)).Succeeded);
        }

        await using (var db = factory.CreateDbContext())
        {
            var task = await db.ManualTasks.SingleAsync(t => t.RequestId == id);
            Assert.Equal("tickets.csv", task.FileName);
            Assert.Single(await Tasks.ExportFilesAsync(id, CancellationToken.None));
        }

        Assert.Equal("This task has already been answered.", (await Tasks.AnswerAsync(TokenOf(sent.Link), ManualTaskAnswer.NothingHeld, null, null, CancellationToken.None)).Error?.Key);

        // The answer woke the job: it runs now and the owner's file is in the ZIP, then gone from the upload folder.
        Assert.Equal(1, await Runner.RunDueAsync());
        var owner = await factory.SignedInClientAsync("subject@demo.local");
        using (var zip = new ZipArchive(new MemoryStream(await owner.GetByteArrayAsync($"/requests/{id}/export"))))
        {
            var entry = zip.GetEntry("systems/crm-archive/tickets.csv");
            Assert.NotNull(entry);
            using var reader = new StreamReader(entry.Open());
            Assert.Contains("4711", await reader.ReadToEndAsync());
        }

        await using (var db = factory.CreateDbContext())
        {
            Assert.Empty(await Tasks.ExportFilesAsync(id, CancellationToken.None));
            Assert.Equal(["manual-task.answered", "manual-task.reminded", "manual-task.sent"],
                (await db.AuditEvents.Where(e => e.RequestId == id && e.Action.StartsWith("manual-task.")).Select(e => e.Action).ToListAsync()).Order());
        }

        // Answered: the page no longer shows whose data it was.
        var after = await web.GetStringAsync($"/tasks/{TokenOf(sent.Link)}");
        Assert.DoesNotContain("13800000001", after);
        Assert.Contains("Answered on", after);
    }

    [Fact]
    public async Task A_deletion_completes_only_after_the_owner_answers_and_says_what_was_kept_and_why()
    {
        var id = await ApprovedAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.WholeAccount,
        });
        Assert.Equal(0, await Runner.RunDueAsync());
        var token = TokenOf(Assert.Single(await OwnerMailAsync(id)).Link);
        Assert.Equal("Say why the data is kept: the person is told.", (await Tasks.AnswerAsync(token, ManualTaskAnswer.Kept, "  ", null, CancellationToken.None)).Error?.Key);
        Assert.True((await Tasks.AnswerAsync(token, ManualTaskAnswer.Kept, "Tickets are kept three years for consumer disputes.", null, CancellationToken.None)).Succeeded);

        Assert.Equal(1, await Runner.RunDueAsync());
        await using var db = factory.CreateDbContext();
        var request = await db.Requests.SingleAsync(r => r.Id == id);
        Assert.Equal(RequestStatus.CompletedWithExceptions, request.Status);
        Assert.Contains("Kept in crm-archive: Tickets are kept three years for consumer disputes.", request.OutcomeNote);
        // The audit trail names the system and the answer, never the owner's words.
        var answered = await db.AuditEvents.SingleAsync(e => e.RequestId == id && e.Action == AuditActions.ManualTaskAnswered);
        Assert.DoesNotContain("consumer", answered.Details);
    }
}
