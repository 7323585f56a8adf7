using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>
/// Sessions that end on the server: a cookie copied before sign-out is refused at once, and so is every
/// app token issued before it; a person sees their signed-in devices and ends any; a password change
/// ends all the others at once.
/// </summary>
public sealed class SessionTests(SessionTests.Portal portal) : IClassFixture<SessionTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000" });

    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task A_cookie_replayed_after_sign_out_and_an_app_token_issued_before_it_are_refused()
    {
        var app = await Factory.ApiClientAsync("guardian@demo.local");
        var (browser, cookie) = await SignInCapturingCookieAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(cookie).GetAsync("/my-data")).StatusCode);

        var signedOut = await PostLogoutAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var replayed = await WithCookie(cookie).GetAsync("/my-data");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Contains("/Account/Login", replayed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/v1/requests")).StatusCode);

        // A new sign-in works as before.
        Assert.Equal(HttpStatusCode.OK, (await (await Factory.ApiClientAsync("guardian@demo.local")).GetAsync("/api/v1/requests")).StatusCode);
    }

    [Fact]
    public async Task A_person_sees_their_signed_in_devices_and_ends_the_app_from_the_browser()
    {
        var app = await Factory.ApiClientAsync("minor@demo.local");
        var browser = await Factory.SignedInClientAsync("minor@demo.local");
        var page = FormPoster.Parse(await browser.GetStringAsync("/Account/Manage/Sessions"));
        var rows = page.QuerySelectorAll("[data-testid=session-row]");
        Assert.True(rows.Length >= 2);
        Assert.Single(page.QuerySelectorAll("[data-testid=session-current]"));
        Assert.Contains(rows, r => r.TextContent.Contains("The app"));

        var appRow = rows.First(r => r.TextContent.Contains("The app"));
        var form = (IHtmlFormElement)appRow.QuerySelector("form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        var ended = await browser.PostAsync("/Account/Manage/Sessions", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/v1/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my-data")).StatusCode);

        // Someone else's session id ends nothing, and the API answers 404 for it.
        var other = await Factory.ApiClientAsync("subject@demo.local");
        var mine = await (await Factory.ApiClientAsync("minor@demo.local")).GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        var id = mine.EnumerateArray().First().GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/me/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_every_other_session_at_once_and_keeps_this_one()
    {
        const string email = "sessions@example.com";
        const string password = "correct horse battery staple";
        var registration = PortalForms.Registration(email);
        registration["Input.PhoneNumber"] = "13912349876";
        Assert.Equal(HttpStatusCode.Redirect, (await Factory.CreateBrowserLikeClient().PostFormAsync("/Account/Register", registration, "register")).StatusCode);
        await using (var db = Factory.CreateDbContext())
        {
            var user = db.Users.Single(u => u.Email == email);
            user.EmailConfirmed = true;
            await db.SaveChangesAsync();
        }

        var laptop = await Factory.SignedInClientAsync(email, password);
        var phone = await Factory.SignedInClientAsync(email, password);
        var app = await Factory.ApiClientAsync(email, password);
        var changed = await laptop.PostFormAsync("/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = password, ["Input.NewPassword"] = "an entirely new passphrase", ["Input.ConfirmPassword"] = "an entirely new passphrase",
        }, "change-password");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/my-data")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/my-data")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/v1/requests")).StatusCode);
    }

    [Fact]
    public async Task The_app_signs_out_its_own_token()
    {
        var app = await Factory.ApiClientAsync("subject@demo.local");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/v1/requests")).StatusCode);
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_a_reused_one_ends_the_sign_in_for_thief_and_owner()
    {
        var client = Factory.CreateClient();
        var login = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "subject@demo.local", password = PortalForms.DemoPassword }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(900, login.GetProperty("expiresIn").GetInt32());
        var first = login.GetProperty("refreshToken").GetString();

        var refreshed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var pair = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        var owner = Factory.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pair.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/requests")).StatusCode);

        // Someone replays the first refresh token: refused, and the session it belongs to ends for everyone.
        var replay = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("already used", await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.GetAsync("/api/v1/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = pair.GetProperty("refreshToken").GetString() })).StatusCode);

        // Garbage is a plain 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "not-a-token" })).StatusCode);
    }

    private async Task<(HttpClient Browser, string Cookie)> SignInCapturingCookieAsync(string email)
    {
        var browser = Factory.CreateBrowserLikeClient();
        var response = await browser.PostFormAsync("/Account/Login", PortalForms.Login(email, PortalForms.DemoPassword), "login");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];
        return (browser, cookie);
    }

    private HttpClient WithCookie(string cookie)
    {
        var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static async Task<HttpResponseMessage> PostLogoutAsync(HttpClient browser)
    {
        var page = FormPoster.Parse(await browser.GetStringAsync("/Account/Manage"));
        var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>().First(f => (f.GetAttribute("action") ?? "").EndsWith("Account/Logout", StringComparison.Ordinal));
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        return await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(fields));
    }
}
