using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Browser;

/// <summary>axe-core over the pages people use most: no serious or critical accessibility violations.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(null, "")]
    [InlineData(null, "Account/Login")]
    [InlineData(null, "Account/Register")]
    [InlineData(null, "make-a-request")]
    [InlineData(null, "agent-consent/expired-link")]
    [InlineData("guardian@demo.local", "requests/agent")]
    [InlineData("subject@demo.local", "requests/new")]
    [InlineData("subject@demo.local", "my-data")]
    [InlineData("subject@demo.local", "Account/Manage/PhoneNumber")]
    [InlineData("subject@demo.local", "Account/Manage/Sessions")]
    [InlineData("guardian@demo.local", "guardians")]
    [InlineData("minor@demo.local", "guardians")]
    [InlineData("agent@demo.local", "guardians/verification")]
    [InlineData("agent@demo.local", "queue")]
    [InlineData("agent@demo.local", "queue/new")]
    [InlineData("supervisor@demo.local", "reports")]
    [InlineData("supervisor@demo.local", "staff")]
    public async Task The_page_has_no_serious_accessibility_violations(string? user, string path)
    {
        var page = await fixture.NewPageAsync();
        if (user is not null)
        {
            await page.SignInAsync(user, PortalForms.DemoPassword);
        }

        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var violation in serious)
        {
            output.WriteLine($"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
        }

        Assert.Empty(serious.Select(v => v.Id));
    }
}
