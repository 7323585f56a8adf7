using System.IO.Compression;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>Issue 6's disputes in the browser: one negotiated to a settlement, one closed unresolved with its record downloaded.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DisputeJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_dispute_about_a_refused_deletion_settles_into_a_new_deletion_request()
    {
        // Set-up: a deletion of likes that an agent refused.
        var workflow = fixture.Portal.Services.GetRequiredService<RequestWorkflow>();
        var subjectActor = await fixture.Portal.ActorAsync("guardian@demo.local");
        var agentActor = await fixture.Portal.ActorAsync("agent@demo.local");
        var refused = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subjectActor.UserId, RequesterId = subjectActor.UserId,
            DeletionScope = DeletionScope.SelectedCategories, Categories = [DataCategory.Likes],
        }, subjectActor, "Signed-in session")).Request!;
        await workflow.ClaimAsync(refused.Id, agentActor);
        await workflow.RefuseAsync(refused.Id, RefusalReason.ServiceSecurity, "Likes are evidence in an abuse report.", agentActor, null);

        var subject = await fixture.SignedInPageAsync("guardian@demo.local", "requests/new");
        await subject.ClickAsync("[data-testid=type-Dispute]");
        await subject.ClickAsync("[data-testid=dispute-subject]");
        await subject.ClickAsync(".mud-popover-open .mud-list-item:has-text('How an earlier request was handled')");
        await Assertions.Expect(subject.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await subject.ClickAsync("[data-testid=dispute-request]");
        await subject.ClickAsync($".mud-popover-open .mud-list-item:has-text('{refused.Reference}')");
        await Assertions.Expect(subject.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await subject.FillAsync("[data-testid=request-description]", "The abuse report was closed; please delete my likes now.");
        await subject.PressAsync("[data-testid=request-description]", "Tab");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=dispute-panel]")).ToBeVisibleAsync();
        var disputeId = subject.Url.Split('/').Last();

        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{disputeId}");
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.FillAsync("[data-testid=proposal-input]", "We will delete all your likes now that the report is closed.");
        await agent.PressAsync("[data-testid=proposal-input]", "Tab");
        await agent.CheckAsync("[data-testid=proposal-deletes]");
        await agent.CheckAsync("[data-testid=proposal-category-Likes]");
        await agent.ClickAsync("[data-testid=proposal-send]");
        await Assertions.Expect(agent.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "AwaitingRequester");

        // The requester's open page shows the proposal; accepting it settles the dispute.
        await Assertions.Expect(subject.Locator("[data-testid=proposal-text]")).ToHaveTextAsync("We will delete all your likes now that the report is closed.");
        await subject.ClickAsync("[data-testid=proposal-accept]");
        await Assertions.Expect(subject.Locator("[data-testid=dispute-outcome]")).ToContainTextAsync("Settled");
        var linked = subject.Locator("[data-testid=dispute-linked] a");
        await Assertions.Expect(linked).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^DSR-\d{4}-\d{6}$"));
        await linked.ClickAsync();
        await Assertions.Expect(subject.Locator("[data-testid=request-summary]")).ToContainTextAsync("Likes");
        await Assertions.Expect(subject.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Open");
    }

    [Fact]
    public async Task A_dispute_that_negotiation_cannot_settle_ends_unresolved_and_the_requester_downloads_its_record()
    {
        var subject = await fixture.SignedInPageAsync("minor@demo.local", "requests/new");
        await subject.ClickAsync("[data-testid=type-Dispute]");
        await subject.ClickAsync("[data-testid=dispute-subject]");
        await subject.ClickAsync(".mud-popover-open .mud-list-item:has-text('Use of my data for advertising')");
        await Assertions.Expect(subject.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await subject.FillAsync("[data-testid=request-description]", "No more ads based on my crowd portrait.");
        await subject.PressAsync("[data-testid=request-description]", "Tab");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=dispute-panel]")).ToBeVisibleAsync();
        var reference = (await subject.Locator("[data-testid=request-title]").TextContentAsync())!;
        var disputeId = subject.Url.Split('/').Last();

        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{disputeId}");
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.FillAsync("[data-testid=unresolved-input]", "Crowd portraits are part of the service contract; we cannot switch them off for one account.");
        await agent.PressAsync("[data-testid=unresolved-input]", "Tab");
        await agent.ClickAsync("[data-testid=unresolved-close]");
        await Assertions.Expect(agent.Locator("[data-testid=dispute-outcome]")).ToContainTextAsync("Unresolved");

        await subject.GotoAsync($"requests/{disputeId}");
        await subject.WaitForInteractiveAsync();
        await Assertions.Expect(subject.Locator("[data-testid=dispute-outcome]")).ToContainTextAsync("people's court");
        var download = await subject.RunAndWaitForDownloadAsync(() => subject.ClickAsync("[data-testid=dispute-record]"));
        Assert.Equal($"{reference}-dispute-record.zip", download.SuggestedFilename);
        var folder = Directory.CreateTempSubdirectory("dsr-dispute-").FullName;
        await download.SaveAsAsync(Path.Combine(folder, "record.zip"));
        ZipFile.ExtractToDirectory(Path.Combine(folder, "record.zip"), folder);
        var record = await fixture.NewPageAsync();
        await record.GotoAsync(new Uri(Path.Combine(folder, "record.html")).AbsoluteUri);
        await Assertions.Expect(record.Locator("h1")).ToHaveTextAsync($"Dispute record {reference}");
        await Assertions.Expect(record.Locator("body")).ToContainTextAsync("we cannot switch them off for one account");
        Directory.Delete(folder, recursive: true);
    }
}
