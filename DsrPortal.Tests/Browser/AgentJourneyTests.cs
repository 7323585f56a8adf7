using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AgentJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_authorized_agent_makes_a_request_the_person_confirms_it_from_their_email_and_the_agent_sees_it_open()
    {
        const string person = "elderly-parent@example.com";
        var permission = Path.Combine(Directory.CreateTempSubdirectory("dsr-agent-").FullName, "permission.pdf");
        await File.WriteAllBytesAsync(permission, SampleDocuments.Pdf);

        var agent = await fixture.SignedInPageAsync("guardian@demo.local", "requests/new");
        await agent.WaitForInteractiveAsync();
        await agent.ClickAsync("[data-testid=act-for-someone]");
        await agent.WaitForInteractiveAsync();
        await agent.FillAsync("[data-testid=agent-subject]", person);
        await agent.FillAsync("[data-testid=agent-name]", "Chen Jie");
        await agent.SetInputFilesAsync("[data-testid=agent-permission]", permission);
        await Assertions.Expect(agent.Locator("[data-testid=agent-permission-ready]")).ToBeVisibleAsync();
        await agent.ClickAsync("[data-testid=type-Correction]");
        await agent.FillAsync("[data-testid=correction-field]", "Nickname");
        await agent.FillAsync("[data-testid=correction-proposed]", "Grandma Chen");
        await agent.ClickAsync("[data-testid=agent-submit]");

        await Assertions.Expect(agent.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "AwaitingVerification");
        await Assertions.Expect(agent.Locator("[data-testid=next-step]")).ToContainTextAsync("asked the person this request is about to confirm");
        await Assertions.Expect(agent.Locator("[data-testid=agent-panel-consent]")).ToHaveTextAsync("Waiting for the person to confirm");
        await agent.WaitForInteractiveAsync();

        // The person, in their own browser, answers from the email that reached them.
        var ask = await fixture.Smtp.WaitForMessageAsync(person);
        var personPage = await fixture.NewPageAsync("zh-CN");
        await personPage.GotoAsync(ask.LinkTo("/agent-consent/").PathAndQuery.TrimStart('/'));
        await Assertions.Expect(personPage.Locator("[data-testid=agent-consent-question]")).ToContainTextAsync("Chen Jie");
        await personPage.ClickAsync("[data-testid=agent-consent-yes]");
        await Assertions.Expect(personPage.Locator("[data-testid=agent-consent-done]")).ToBeVisibleAsync();

        // The agent's open page follows: the request is in the queue now.
        await Assertions.Expect(agent.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Open");
    }
}
