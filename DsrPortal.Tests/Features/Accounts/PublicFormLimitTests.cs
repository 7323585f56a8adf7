using System.Net;
using System.Net.Http.Json;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>A script that keeps posting the public forms from one address is slowed down; reading the pages is not.</summary>
public sealed class PublicFormLimitTests(PublicFormLimitTests.Portal portal) : IClassFixture<PublicFormLimitTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["RateLimits:FormPostsPerMinute"] = "3" });

    [Fact]
    public async Task One_account_gets_three_sign_in_attempts_a_minute_from_anywhere_known_or_not()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["RateLimits:SignInsPerAccountPerMinute"] = "3" });
        foreach (var account in new[] { "guardian@demo.local", "nobody-at-all@example.com" })
        {
            string? last = null;
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                // A fresh client each time: as if from different addresses.
                var tried = await factory.CreateBrowserLikeClient().PostFormAsync("/Account/Login", PortalForms.Login(account, "a wrong password here"), "login");
                last = (await tried.ParseAsync()).QuerySelector(".alert-danger")?.TextContent;
            }

            Assert.Contains("not correct", last);
            var fourth = await factory.CreateBrowserLikeClient().PostFormAsync("/Account/Login", PortalForms.Login(account, PortalForms.DemoPassword), "login");
            Assert.Equal(System.Net.HttpStatusCode.OK, fourth.StatusCode);
            Assert.Contains("too many sign-in attempts for this account", (await fourth.ParseAsync()).QuerySelector(".alert-danger")!.TextContent);
        }

        // The app's sign-in shares the count; another account is not affected.
        var api = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = "guardian@demo.local", password = PortalForms.DemoPassword });
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.NotNull(api.Headers.RetryAfter);
        Assert.Equal(System.Net.HttpStatusCode.Redirect,
            (await factory.CreateBrowserLikeClient().PostFormAsync("/Account/Login", PortalForms.Login("subject@demo.local", PortalForms.DemoPassword), "login")).StatusCode);
    }

    [Fact]
    public async Task A_fourth_sign_in_post_within_a_minute_gets_429_with_a_page_that_says_to_wait()
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var tried = await client.PostFormAsync("/Account/Login", PortalForms.Login($"nobody{attempt}@example.com", "a wrong password here"), "login");
            Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        }

        var refused = await client.PostFormAsync("/Account/Login", PortalForms.Login("subject@demo.local", PortalForms.DemoPassword), "login");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) is > 0 and <= 60);
        var page = await refused.ParseAsync();
        Assert.Contains("Wait a minute", page.QuerySelector("[data-testid=rate-limited]")!.TextContent);
        // The other public forms share the address's allowance; reading pages never counts.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Register")).StatusCode);
        var register = await client.PostFormAsync("/Account/Register", PortalForms.Registration("limited@example.com"), "register");
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        // So do the pages reached without an account: the intake and the answer to an authorized agent.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/make-a-request", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/agent-consent/some-token", new FormUrlEncodedContent([]))).StatusCode);

        var chinese = portal.Factory.CreateBrowserLikeClient(acceptLanguage: "zh-CN");
        var inChinese = await (await chinese.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = "a@example.com" }, "forgot-password")).ParseAsync();
        Assert.Contains("请等待一分钟", inChinese.QuerySelector("[data-testid=rate-limited]")!.TextContent);
    }
}
