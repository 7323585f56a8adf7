using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>Live updates render in the reader's language, whoever caused them, and one's own action is never "someone else's".</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveLanguageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_English_agent_reads_a_Chinese_subjects_message_in_English()
    {
        var subjectActor = await fixture.Portal.ActorAsync("subject@demo.local");
        var agentActor = await fixture.Portal.ActorAsync("agent@demo.local");
        var workflow = fixture.Portal.Services.GetRequiredService<RequestWorkflow>();
        var id = (await workflow.SubmitAsync(subjectActor.Export(), subjectActor, "session")).Request!.Id;
        await workflow.ClaimAsync(id, agentActor);

        var agent = await fixture.NewPageAsync("en-US");
        await agent.SignInAsync("agent@demo.local", PortalForms.DemoPassword);
        await agent.GotoAsync($"queue/{id}");
        await agent.WaitForInteractiveAsync();

        // The agent's own reply: the page reloads, and never tells the agent someone else changed the request.
        await agent.FillAsync("[data-testid=message-input]", "We are on it.");
        await agent.ClickAsync("[data-testid=message-send]");
        await Assertions.Expect(agent.Locator("[data-testid=message-body]").Last).ToHaveTextAsync("We are on it.");
        await Task.Delay(LiveRequestUpdates.Window + TimeSpan.FromMilliseconds(500));
        await Assertions.Expect(agent.Locator("[data-testid=changed-elsewhere]")).ToHaveCountAsync(0);

        // The subject writes in Chinese, from a Chinese page.
        var subject = await fixture.NewPageAsync("zh-CN");
        await subject.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await subject.GotoAsync($"requests/{id}");
        await subject.WaitForInteractiveAsync();
        await Assertions.Expect(subject.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await subject.FillAsync("[data-testid=message-input]", "谢谢");
        await subject.ClickAsync("[data-testid=message-send]");

        // The agent's page follows live, still wholly in English: the new message's caption, the headings, the notice.
        var message = agent.Locator("[data-testid=message]").Last;
        await Assertions.Expect(message.Locator("[data-testid=message-body]")).ToHaveTextAsync("谢谢");
        await Assertions.Expect(message).ToContainTextAsync("Requester");
        await Assertions.Expect(agent.Locator("[data-testid=changed-elsewhere]")).ToContainTextAsync("changed by someone else");
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Messages" })).ToBeVisibleAsync();
        var captions = await agent.Locator("[data-testid=message] .mud-typography-caption").AllTextContentsAsync();
        Assert.All(captions, caption => Assert.DoesNotContain("申请人", caption));
        // Dates in the agent's format (month/day/year, AM or PM), not the Chinese page's year/month/day.
        Assert.All(captions, caption => Assert.Matches(@"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}\s?(AM|PM)", caption));
    }
}
