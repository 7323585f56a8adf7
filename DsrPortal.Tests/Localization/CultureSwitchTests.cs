using System.Net;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Localization;

public sealed class CultureSwitchTests(CultureSwitchTests.Portal portal) : IClassFixture<CultureSwitchTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Fact]
    public async Task The_browser_language_picks_the_first_language()
    {
        var chinese = FormPoster.Parse(await portal.Factory.CreateBrowserLikeClient("zh-CN,zh;q=0.9,en;q=0.5").GetStringAsync("/Account/Login"));
        var english = FormPoster.Parse(await portal.Factory.CreateBrowserLikeClient("en-US,en;q=0.9").GetStringAsync("/Account/Login"));

        Assert.Equal("登录", chinese.QuerySelector("h1")!.TextContent);
        Assert.Equal("zh-CN", chinese.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Sign in", english.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task The_switch_overrides_the_browser_and_persists_in_a_cookie()
    {
        var client = portal.Factory.CreateBrowserLikeClient("en-US");

        var switched = await client.SwitchLanguageAsync("/Account/Login", "zh-CN");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/Account/Login", switched.RedirectPath());
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture="));
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        var page = FormPoster.Parse(await client.GetStringAsync("/Account/Login"));
        Assert.Equal("登录", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_signed_in_users_choice_is_remembered_on_the_account_for_emails()
    {
        var client = await portal.Factory.SignedInClientAsync("subject@demo.local");

        await client.SwitchLanguageAsync("/my-data", "zh-CN");

        await using var db = portal.Factory.CreateDbContext();
        Assert.Equal("zh-CN", (await db.Users.SingleAsync(u => u.Email == "subject@demo.local")).PreferredCulture);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task The_switch_never_redirects_off_site(string target)
    {
        var response = await portal.Factory.CreateBrowserLikeClient().SwitchLanguageAsync("/Account/Login", "en", target);

        Assert.Equal("/", response.RedirectPath());
    }

    [Fact]
    public async Task An_unknown_language_is_refused_with_a_reason()
    {
        var response = await portal.Factory.CreateBrowserLikeClient().SwitchLanguageAsync("/Account/Login", "fr");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unsupported language", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_link_or_a_post_without_the_antiforgery_token_changes_nothing()
    {
        var client = await portal.Factory.SignedInClientAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2F")).StatusCode);
        var forged = await client.PostAsync("/culture/set", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "zh-CN", ["redirectUri"] = "/" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await using var db = portal.Factory.CreateDbContext();
        Assert.Equal("en", (await db.Users.SingleAsync(u => u.Email == "guardian@demo.local")).PreferredCulture);
    }
}
