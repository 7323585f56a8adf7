using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
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
