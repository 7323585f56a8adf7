using System.Net;
using System.Net.Http.Json;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>Sign-in answers do not tell whether an account exists: not by message, not by lockout.</summary>
public sealed class EnumerationTests(EnumerationTests.Portal portal) : IClassFixture<EnumerationTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000" });

    [Fact]
    public async Task Wrong_passwords_on_the_web_answer_and_lock_out_the_same_for_an_account_and_for_nobody()
    {
        var answers = new Dictionary<string, List<string>>();
        foreach (var email in new[] { "subject@demo.local", "nobody-at-all@demo.local" })
        {
            var client = portal.Factory.CreateBrowserLikeClient();
            answers[email] = [];
            for (var attempt = 1; attempt <= 6; attempt++)
            {
                var response = await client.PostFormAsync("/Account/Login", PortalForms.Login(email, "not the password at all"), "login");
                answers[email].Add(response.StatusCode == HttpStatusCode.Redirect
                    ? "redirect " + response.RedirectPath()
                    : (await response.ParseAsync()).QuerySelector("[role=alert]")?.TextContent.Trim() ?? "");
            }
        }

        Assert.Equal(answers["subject@demo.local"], answers["nobody-at-all@demo.local"]);
        Assert.Equal("redirect /Account/Lockout", answers["nobody-at-all@demo.local"][^1]);
        Assert.Contains("not correct", answers["nobody-at-all@demo.local"][0]);
    }

    [Fact]
    public async Task An_unconfirmed_account_says_so_only_to_someone_who_knows_its_password()
    {
        var web = portal.Factory.CreateBrowserLikeClient();
        await web.PostFormAsync("/Account/Register", PortalForms.Registration("unconfirmed@example.com"), "register");

        var wrongOnWeb = await (await web.PostFormAsync("/Account/Login", PortalForms.Login("unconfirmed@example.com", "a wrong password, long"), "login")).ParseAsync();
        var nobodyOnWeb = await (await web.PostFormAsync("/Account/Login", PortalForms.Login("nobody-else@example.com", "a wrong password, long"), "login")).ParseAsync();
        var rightOnWeb = await (await web.PostFormAsync("/Account/Login", PortalForms.Login("unconfirmed@example.com", "correct horse battery staple"), "login")).ParseAsync();
        Assert.Equal(nobodyOnWeb.QuerySelector("[role=alert]")!.TextContent, wrongOnWeb.QuerySelector("[role=alert]")!.TextContent);
        Assert.Contains("confirm your email address first", rightOnWeb.QuerySelector("[role=alert]")!.TextContent);

        var api = portal.Factory.CreateClient();
        var wrong = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = "unconfirmed@example.com", password = "a wrong password, long" });
        var nobody = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-else@example.com", password = "a wrong password, long" });
        var right = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = "unconfirmed@example.com", password = "correct horse battery staple" });
        Assert.Equal((HttpStatusCode.Unauthorized, await DetailAsync(nobody)), (wrong.StatusCode, await DetailAsync(wrong)));
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
    }

    [Fact]
    public async Task The_app_locks_out_an_address_without_an_account_as_it_does_a_real_one()
    {
        var api = portal.Factory.CreateClient();
        var answers = new Dictionary<string, List<string>>();
        foreach (var email in new[] { "minor@demo.local", "nobody-in-the-app@demo.local" })
        {
            answers[email] = [];
            for (var attempt = 1; attempt <= 6; attempt++)
            {
                var response = await api.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not the password at all" });
                answers[email].Add($"{(int)response.StatusCode} {await DetailAsync(response)}");
            }
        }

        Assert.Equal(answers["minor@demo.local"], answers["nobody-in-the-app@demo.local"]);
        Assert.Contains("locked", answers["nobody-in-the-app@demo.local"][^1]);
    }

    /// <summary>The problem's sentence (its trace id differs on every answer).</summary>
    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString();
}
