using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>The subject's journeys on a 390-pixel phone: nothing scrolls sideways, the menus fold away and open with a thumb.</summary>
[Collection(SecondBrowserCollection.Name)]
public sealed class PhoneJourneyTests(BrowserFixture fixture)
{
    private const int Width = 390;

    private async Task<IPage> PhoneAsync(string locale = "en-US")
    {
        var page = await fixture.NewPageAsync(locale);
        await page.SetViewportSizeAsync(Width, 844);
        return page;
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public async Task The_subjects_pages_fit_a_phone_and_tables_become_labelled_cards(string locale)
    {
        var page = await PhoneAsync(locale);
        await page.SignInAsync("subject@demo.local", PortalForms.DemoPassword);

        foreach (var path in new[] { "", "my-data", "requests", "requests/new", "guardians", "Account/Manage", "privacy-policy" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"/{path} in {locale} is {overflow} pixels wider than the phone's screen.");
        }

        // My data: each row of the holdings is a card, each value led by its column's name (read once the live page has
        // replaced the prerendered one).
        await page.GotoAsync("my-data");
        await page.WaitForInteractiveAsync();
        var cell = page.Locator("[data-testid=inventory-table] tbody td[data-label]").First;
        await Assertions.Expect(cell).ToBeVisibleAsync();
        var label = await cell.GetAttributeAsync("data-label");
        Assert.False(string.IsNullOrWhiteSpace(label));
        var before = await page.EvaluateAsync<string>("""
            () => { const td = document.querySelector('[data-testid=inventory-table] tbody td[data-label]'); return getComputedStyle(td, '::before').content; }
            """);
        Assert.Equal($"\"{label}\"", before);
        // One value under the other, each as wide as the card: not squeezed side by side into the phone's width.
        var layout = await page.EvaluateAsync<string>("""
            () => { const td = document.querySelector('[data-testid=inventory-table] tbody td[data-label]'); return getComputedStyle(td).display + ' ' + Math.round(td.getBoundingClientRect().width / td.closest('table').getBoundingClientRect().width * 100); }
            """);
        Assert.Equal("block 100", layout);
        var header = await page.EvaluateAsync<int>("() => document.querySelector('[data-testid=inventory-table] thead').getBoundingClientRect().height");
        Assert.True(header <= 1, "the table's header row still shows above the cards");
    }

    [Fact]
    public async Task The_top_bar_folds_language_and_account_into_one_menu()
    {
        var page = await PhoneAsync();
        await page.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await page.GotoAsync("");
        await page.WaitForInteractiveAsync();

        var toggle = page.Locator("[data-testid=topbar-toggle]");
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToBeHiddenAsync();

        // Opened with a thumb, the menu holds the language and the account; Escape closes it again.
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Locator("[data-testid=account-link]")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToBeHiddenAsync();

        await toggle.ClickAsync();
        await page.ClickAsync("[data-testid=lang-zh-CN]");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToBeHiddenAsync();
        await page.WaitForInteractiveAsync();

        await page.Locator("[data-testid=topbar-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToContainTextAsync("退出");
        await page.ClickAsync("[data-testid=sign-out]");
        await Assertions.Expect(page.Locator("[data-testid=account-link]")).ToHaveCountAsync(0);
        // Signed out, the page is a new one: its menu opens once its script has run.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.Locator("[data-testid=topbar-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=topbar-toggle]")).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Locator("[data-testid=sign-in]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_side_menu_opens_over_the_page_and_closes_after_choosing()
    {
        var page = await PhoneAsync();
        await page.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await page.GotoAsync("");
        await page.WaitForInteractiveAsync();

        var myRequests = page.Locator("[data-testid=nav-my-requests]");
        await Assertions.Expect(myRequests).Not.ToBeInViewportAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Assertions.Expect(myRequests).ToBeInViewportAsync();
        await myRequests.ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/requests", StringComparison.Ordinal));
        await Assertions.Expect(myRequests).Not.ToBeInViewportAsync();
    }
}
