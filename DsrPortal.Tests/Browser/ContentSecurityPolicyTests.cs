using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>The Content Security Policy allows everything the portal really runs: no page logs a violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Public_interactive_and_account_pages_run_under_the_policy_without_a_violation()
    {
        var violations = new List<string>();
        var page = await fixture.SignedInPageAsync("subject@demo.local", "my-data");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=lang-zh-CN]");
        await Assertions.Expect(page.Locator("[data-testid=nav-my-data]")).ToHaveTextAsync("我的数据");
        await page.WaitForInteractiveAsync();
        await page.GotoAsync("requests/new");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=type-Deletion]");
        await page.GotoAsync("Account/Manage/Sessions");
        await Assertions.Expect(page.Locator("[data-testid=session-current]")).ToBeVisibleAsync();

        // The bot check's worker runs under worker-src 'self'.
        var visitor = await fixture.NewPageAsync();
        visitor.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{visitor.Url}: {message.Text}");
            }
        };
        await visitor.GotoAsync("make-a-request");
        await visitor.FillAsync("#Send\\.Contact", "csp-check@example.com");
        await visitor.ClickAsync("[data-testid=intake-send]");
        await Assertions.Expect(visitor.Locator("[data-testid=intake-code-sent]")).ToBeVisibleAsync();

        Assert.Empty(violations);
    }
}
