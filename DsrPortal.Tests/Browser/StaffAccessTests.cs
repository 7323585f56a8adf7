using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class StaffAccessTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_demo_agent_opens_the_queue_from_the_navigation()
    {
        var page = await fixture.NewPageAsync();

        await page.SignInAsync("agent@demo.local", PortalForms.DemoPassword);
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=nav-queue]");

        await Assertions.Expect(page.Locator("[data-testid=queue-title]")).ToHaveTextAsync("Queue");
        Assert.EndsWith("/queue", page.Url);
        await Assertions.Expect(page.Locator("[data-testid=nav-staff]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_agent_pages_and_sorts_a_long_queue_and_it_follows_a_new_request_live()
    {
        var workflow = fixture.Portal.Services.GetRequiredService<DsrPortal.Features.Requests.RequestWorkflow>();
        var subject = await fixture.Portal.ActorAsync("subject@demo.local");
        var made = new List<Guid>();
        try
        {
            for (var i = 0; i < 26; i++)
            {
                made.Add((await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id);
            }

            var page = await fixture.SignedInPageAsync("agent@demo.local", "queue");
            await page.WaitForInteractiveAsync();
            var range = page.Locator("[data-testid=queue-range]");
            await Assertions.Expect(range).ToContainTextAsync("Requests 1–25 of ");
            var total = int.Parse((await range.TextContentAsync())!.Split(" of ")[1].Trim());

            await page.ClickAsync("[data-testid=queue-next]");
            await Assertions.Expect(range).ToContainTextAsync($"Requests 26–{total} of {total}");
            await page.ClickAsync("[data-testid=queue-previous]");
            await Assertions.Expect(range).ToContainTextAsync("Requests 1–25 of ");

            // Newest reference first: the last one made tops the list, and the header says how it is sorted.
            await page.ClickAsync("[data-testid=queue-sort-reference]");
            await page.ClickAsync("[data-testid=queue-sort-reference]");
            await Assertions.Expect(page.Locator("th:has([data-testid=queue-sort-reference])")).ToHaveAttributeAsync("aria-sort", "descending");
            var newest = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
            made.Add(newest.Id);
            await Assertions.Expect(page.Locator("[data-testid=queue-reference]").First).ToHaveTextAsync(newest.Reference);
            await Assertions.Expect(range).ToContainTextAsync($"of {total + 1}");
        }
        finally
        {
            // Closed again, so the other journeys find their own requests on the queue's first page.
            foreach (var id in made)
            {
                await workflow.WithdrawAsync(id, subject);
            }
        }
    }

    [Fact]
    public async Task A_data_subject_is_refused_the_queue()
    {
        var page = await fixture.NewPageAsync();

        await page.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await Assertions.Expect(page.Locator("[data-testid=nav-queue]")).ToHaveCountAsync(0);
        await page.GotoAsync("queue");

        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=queue-title]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_supervisor_adds_an_agent_who_gets_a_one_time_password()
    {
        var page = await fixture.NewPageAsync();

        await page.SignInAsync("supervisor@demo.local", PortalForms.DemoPassword);
        await page.GotoAsync("staff");
        await page.WaitForInteractiveAsync();
        await page.FillAsync("input[data-testid=staff-email], [data-testid=staff-email] input", "browser.agent@demo.local");
        await page.ClickAsync("[data-testid=staff-create]");

        await Assertions.Expect(page.Locator("[data-testid=staff-password]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z2-9-]{23}$"));
        await Assertions.Expect(page.Locator("[data-testid=staff-table]")).ToContainTextAsync("browser.agent@demo.local");
    }

    [Fact]
    public async Task A_supervisor_adds_a_holiday_and_a_mistyped_date_is_explained()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("supervisor@demo.local", PortalForms.DemoPassword);
        await page.GotoAsync("settings");
        await page.WaitForInteractiveAsync();

        await page.FillAsync("[data-testid=settings-holidays]", "2030-02-30");
        await page.ClickAsync("[data-testid=settings-save]");
        await Assertions.Expect(page.Locator("[data-testid=settings-message]")).ToContainTextAsync("yyyy-MM-dd");

        await page.FillAsync("[data-testid=settings-holidays]", "2030-01-01");
        await page.ClickAsync("[data-testid=settings-save]");
        await Assertions.Expect(page.Locator("[data-testid=settings-message]")).ToHaveTextAsync("Saved.");
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=settings-holidays]")).ToHaveValueAsync("2030-01-01");
    }
}
