using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class SavedReplyJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_supervisor_saves_a_reply_and_an_agent_inserts_it_filled_from_the_request_edits_it_and_sends_it()
    {
        var supervisor = await fixture.SignedInPageAsync("supervisor@demo.local", "saved-replies");
        await supervisor.FillAsync("[data-testid=saved-reply-title]", "We are on it");
        await supervisor.GetByTestId("saved-reply-culture").SelectOptionAsync("en");
        await supervisor.FillAsync("[data-testid=saved-reply-body]", "Hello {{RequesterName}}, we are working on {{Reference}} and will answer by {{DueDate}}.");
        await supervisor.GetByTestId("saved-reply-save").ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("saved-replies")).ToContainTextAsync("We are on it");

        // A placeholder the portal cannot fill is refused, naming it.
        await supervisor.FillAsync("[data-testid=saved-reply-title]", "Broken");
        await supervisor.FillAsync("[data-testid=saved-reply-body]", "Dear {{FirstName}}");
        await supervisor.GetByTestId("saved-reply-save").ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("saved-reply-error")).ToContainTextAsync("{{FirstName}}");

        var subject = await fixture.Portal.ActorAsync("subject@demo.local");
        var agent = await fixture.Portal.ActorAsync("agent@demo.local");
        var workflow = fixture.Portal.Services.GetRequiredService<RequestWorkflow>();
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);

        var page = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{request.Id}");
        await page.GetByTestId("saved-reply-insert").SelectOptionAsync(new SelectOptionValue { Label = "We are on it (English)" });
        var box = page.Locator("[data-testid=message-input] textarea, textarea[data-testid=message-input]").First;
        await Assertions.Expect(box).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^Hello Lin, we are working on {request.Reference} and will answer by \\d{{4}}-\\d{{2}}-\\d{{2}}\\.$"));
        await box.PressAsync("End");
        await box.PressSequentiallyAsync(" Thank you for your patience.");
        await page.GetByTestId("message-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message-body").Last).ToContainTextAsync($"we are working on {request.Reference}");
        await Assertions.Expect(page.GetByTestId("message-body").Last).ToContainTextAsync("Thank you for your patience.");
    }
}
