using System.IO.Compression;
using System.Text.Json;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>A portal of its own with a system answered by hand: the owner opens the emailed link, uploads the export, and the request completes with it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ManualTaskJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_system_owner_uploads_the_export_on_the_emailed_link_and_the_request_completes_with_their_file()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Outbox:WorkerEnabled"] = "false",
            ["Fulfilment:WorkerEnabled"] = "true",
            ["Fulfilment:PollInterval"] = "00:00:00.300",
            ["DataSources:Manual:0:Name"] = "crm-archive",
            ["DataSources:Manual:0:OwnerEmail"] = "archive.owner@example.com",
            ["DataSources:Manual:0:Categories:0:Category"] = "ArchivedTickets",
            ["DataSources:Manual:0:Categories:0:Name:en"] = "Your old support tickets",
        });
        var address = portal.StartOnKestrel();
        var workflow = portal.Services.GetRequiredService<RequestWorkflow>();
        var subject = await portal.ActorAsync("subject@demo.local");
        var agent = await portal.ActorAsync("agent@demo.local");
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await workflow.ApproveAsync(request.Id, agent, null)).Succeeded);

        var link = await Eventually.ValueAsync(async () =>
        {
            await using var db = portal.CreateDbContext();
            var values = await db.OutboxMessages.Where(m => m.RequestId == request.Id && m.Address == "archive.owner@example.com").Select(m => m.Values).FirstOrDefaultAsync();
            return values is null ? null : JsonDocument.Parse(values).RootElement.GetProperty("Link").GetString();
        });

        // The agent sees the request waiting on the owner.
        var staff = await fixture.NewPageAsync(baseAddress: address);
        await staff.SignInAsync("agent@demo.local", PortalForms.DemoPassword);
        await staff.GotoAsync($"queue/{request.Id}");
        await Assertions.Expect(staff.GetByTestId("manual-task-crm-archive")).ToContainTextAsync("Waiting since");

        // The owner has no account: the link alone opens the task, with whose data it is.
        var owner = await fixture.NewPageAsync(baseAddress: address);
        await owner.GotoAsync(new Uri(link).PathAndQuery.TrimStart('/'));
        await owner.WaitForInteractiveAsync();
        await Assertions.Expect(owner.GetByTestId("task-person")).ToContainTextAsync("13800000001");
        Assert.Empty(await owner.ViolationsAsync());
        await owner.ClickAsync("[data-testid=answer-Done]");
        await owner.GetByTestId("task-file").SetInputFilesAsync(new FilePayload { Name = "tickets.csv", MimeType = "text/csv", Buffer = "ticket,opened\n4711,2025-03-01\n"u8.ToArray() });
        await owner.ClickAsync("[data-testid=task-submit]");
        await Assertions.Expect(owner.GetByTestId("task-answered")).ToBeVisibleAsync();
        await Assertions.Expect(owner.GetByTestId("task-person")).ToHaveCountAsync(0);

        // Woken by the answer, the export runs and carries the owner's file.
        await staff.ReloadAsync();
        await Assertions.Expect(staff.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        await Assertions.Expect(staff.GetByTestId("manual-task-crm-archive")).ToContainTextAsync("File uploaded");
        Guid jobId;
        await using (var db = portal.CreateDbContext())
        {
            jobId = await db.FulfilmentJobs.Where(j => j.RequestId == request.Id).Select(j => j.Id).SingleAsync();
        }

        using var zip = ZipFile.OpenRead(portal.Services.GetRequiredService<DsrPortal.Features.Export.ExportFulfilment>().PackagePath(jobId));
        using var reader = new StreamReader(zip.GetEntry("systems/crm-archive/tickets.csv")!.Open());
        Assert.Contains("4711", await reader.ReadToEndAsync());
        await owner.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }
}
