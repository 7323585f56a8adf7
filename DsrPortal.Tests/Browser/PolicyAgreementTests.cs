using DsrPortal.Features.Policies;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class PolicyAgreementTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_supervisor_publishes_a_version_and_a_subject_must_agree_at_the_next_visit()
    {
        // A portal of its own: the new version would otherwise stand in front of every other browser test.
        await using var portal = new PortalFactory();
        var address = portal.StartOnKestrel();

        var supervisor = await fixture.NewPageAsync(baseAddress: address);
        await supervisor.SignInAsync("supervisor@demo.local", PortalForms.DemoPassword);
        await supervisor.GotoAsync("policies");
        await supervisor.WaitForInteractiveAsync();
        await supervisor.FillAsync("[data-testid=policy-version]", "2");
        await supervisor.FillAsync("[data-testid=policy-summary-en]", "We no longer build crowd portraits.");
        await supervisor.FillAsync("[data-testid=policy-summary-zh]", "我们不再形成人群画像。");
        await supervisor.FillAsync("[data-testid=policy-text-en]", "Privacy policy, version 2.");
        await supervisor.FillAsync("[data-testid=policy-text-zh]", "隐私政策（第二版）。");
        await supervisor.FillAsync("[data-testid=policy-effective]", DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm"));
        await supervisor.ClickAsync("[data-testid=policy-publish]");
        await Assertions.Expect(supervisor.Locator("[data-testid=policy-versions]")).ToContainTextAsync("We no longer build crowd portraits.");

        var subject = await fixture.NewPageAsync("zh-CN", address);
        await subject.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await subject.WaitForInteractiveAsync();
        await Assertions.Expect(subject.Locator("[data-testid=policy-summary]")).ToHaveTextAsync("我们不再形成人群画像。");

        // Rights first: the requests stay reachable without agreeing.
        await subject.GotoAsync("requests");
        await subject.WaitForInteractiveAsync();
        await Assertions.Expect(subject.Locator("[data-testid=new-request]")).ToBeVisibleAsync();

        await subject.ClickAsync("[data-testid=policy-agree]");
        await Assertions.Expect(subject.Locator("[data-testid=policy-agreement]")).ToHaveCountAsync(0);
        await subject.GotoAsync("my-data");
        await Assertions.Expect(subject.Locator("[data-testid=consent-table] tbody tr").First).ToContainTextAsync("2");
        await Assertions.Expect(subject.Locator("[data-testid=consent-table] tbody tr").First).ToContainTextAsync("已同意");
    }
}
