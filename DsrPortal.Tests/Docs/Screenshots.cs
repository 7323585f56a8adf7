using DsrPortal.Features.Requests;
using DsrPortal.Tests.Browser;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Docs;

/// <summary>
/// Not a test: the README's screenshots, taken by <c>scripts/screenshots.sh</c> (never by ./test.sh) from a portal with
/// the demo data, at a desktop's width and a phone's, in English and Chinese, into docs/screenshots.
/// </summary>
[Trait("Category", "Docs")]
[Collection(AccessibilityCollection.Name)]
public sealed class Screenshots(BrowserFixture fixture, ITestOutputHelper output)
{
    private static string Folder => Path.Combine(RepoPaths.Root, "docs", "screenshots");

    [Fact]
    public async Task Take()
    {
        Directory.CreateDirectory(Folder);
        var subject = await fixture.Portal.ActorAsync("subject@demo.local");
        var agent = await fixture.Portal.ActorAsync("agent@demo.local");
        var workflow = fixture.Portal.Services.GetRequiredService<RequestWorkflow>();
        var id = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.ClaimAsync(id, agent);
        await workflow.PostMessageAsync(id, "Which nickname did you use in 2025?", agent);

        var shots = new (string Name, string? User, string Path)[]
        {
            ("home", null, ""),
            ("register", null, "Account/Register"),
            ("my-data", "subject@demo.local", "my-data"),
            ("request", "subject@demo.local", $"requests/{id}"),
            ("new-request", "subject@demo.local", "requests/new"),
            ("queue", "agent@demo.local", "queue"),
            ("queue-request", "agent@demo.local", $"queue/{id}"),
            ("reports", "supervisor@demo.local", "reports"),
            ("audit", "supervisor@demo.local", "audit"),
        };
        foreach (var (locale, suffix) in new[] { ("en-US", "en"), ("zh-CN", "zh") })
        {
            foreach (var width in new[] { 1280, 390 })
            {
                foreach (var group in shots.GroupBy(s => s.User))
                {
                    var page = await fixture.NewPageAsync(locale);
                    await page.SetViewportSizeAsync(width, width < 600 ? 844 : 800);
                    if (group.Key is { } user)
                    {
                        await page.SignInAsync(user, PortalForms.DemoPassword);
                    }

                    foreach (var (name, _, path) in group)
                    {
                        await page.GotoAsync(path);
                        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                        // The live page has replaced the prerendered one, and its tables have become cards on a phone.
                        if (await page.Locator("[data-testid=interactive]").CountAsync() > 0 || path.Length > 0)
                        {
                            await page.WaitForTimeoutAsync(1000);
                        }

                        var file = Path.Combine(Folder, $"{name}-{(width < 600 ? "phone" : "desktop")}-{suffix}.png");
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = false });
                        output.WriteLine(file);
                    }

                    await page.Context.CloseAsync();
                }
            }
        }
    }
}
