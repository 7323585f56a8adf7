using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class DeceasedJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_relative_sends_the_documents_an_agent_verifies_them_and_the_request_goes_on_while_a_user_arranges_their_own()
    {
        const string relative = "daughter-journey@demo.local";
        const string deceased = "late-father@demo.local";
        await fixture.Portal.CreateSubjectAsync(relative);
        await fixture.Portal.CreateSubjectAsync(deceased);

        // While alive, the father records that only his daughter may decide.
        var father = await fixture.SignedInPageAsync(deceased, "my-data");
        await father.GetByTestId("legacy-NamedPerson").CheckAsync();
        await father.FillAsync("[data-testid=legacy-name]", "Li Na");
        await father.FillAsync("[data-testid=legacy-contact]", relative);
        await father.GetByTestId("legacy-save").ClickAsync();
        await Assertions.Expect(father.GetByTestId("legacy-current")).ToContainTextAsync("Only the person I name: Li Na");

        // After his death she asks for a copy, with the two documents.
        var page = await fixture.SignedInPageAsync(relative, "requests/deceased");
        await page.FillAsync("[data-testid=relative-identifier]", deceased);
        await page.GetByTestId("relative-kinship").SelectOptionAsync("NamedByDeceased");
        await page.FillAsync("[data-testid=relative-interest]", "I look after his affairs and need his records.");
        await page.GetByTestId("relative-death-file").SetInputFilesAsync(new FilePayload { Name = "death.png", MimeType = "image/png", Buffer = SampleDocuments.Png });
        await page.GetByTestId("relative-relationship-file").SetInputFilesAsync(new FilePayload { Name = "family-register.pdf", MimeType = "application/pdf", Buffer = SampleDocuments.Pdf });
        // Each document says it arrived before she sends.
        await Assertions.Expect(page.GetByTestId("relative-death-received")).ToContainTextAsync("KB");
        await Assertions.Expect(page.GetByTestId("relative-relationship-received")).ToContainTextAsync("KB");
        await page.GetByTestId("relative-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("relative-submitted")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("relative-claims")).ToContainTextAsync("Waiting for the documents to be checked");

        // An agent sees what the father arranged beside the documents, and verifies.
        var agent = await fixture.SignedInPageAsync("agent@demo.local", "deceased");
        await agent.GetByTestId("relative-claim-open").First.ClickAsync();
        await Assertions.Expect(agent.GetByTestId("relative-claim-arrangement")).ToContainTextAsync("Li Na");
        await Assertions.Expect(agent.GetByTestId("relative-claim-document")).ToHaveCountAsync(2);
        await agent.GetByTestId("relative-claim-verify").ClickAsync();
        await Assertions.Expect(agent.GetByTestId("relative-claim-status")).ToContainTextAsync("Verified");
        await Assertions.Expect(agent.GetByTestId("relative-claim-document")).ToHaveCountAsync(0);

        // She finds the request among hers, as its requester.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("relative-claims")).ToContainTextAsync("Verified");
        await page.GetByTestId("relative-request-link").ClickAsync();
        await page.WaitForURLAsync("**/requests/*-*");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Open");
    }
}
