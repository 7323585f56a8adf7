using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DsrPortal.Features.Accounts;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>
/// The proof-of-work bot check: what anyone can create (registration, intake codes, sign-in codes, password
/// reset) needs the answer to a fresh, sealed challenge; a script that skips it gets nothing done, and a
/// person whose browser cannot run it passes after a short wait. Password sign-in asks for it only after
/// repeated failures, and the API's password sign-in never.
/// </summary>
public sealed class BotCheckTests(BotCheckTests.Portal portal) : IClassFixture<BotCheckTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(
        new Dictionary<string, string?>
        {
            ["BotCheck:Enabled"] = "true",
            ["BotCheck:Difficulty"] = "12",
            ["BotCheck:FallbackWaitSeconds"] = "15",
            ["Api:LoginAttemptsPerMinute"] = "1000",
            ["Verification:ResendSeconds"] = "1",
            ["Verification:MaxCodesPerHour"] = "100",
        },
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));

    private PortalFactory Factory => portal.Factory;

    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Clock!;

    [Fact]
    public async Task A_script_that_skips_the_challenge_sends_no_code_and_one_answer_works_once()
    {
        var app = Factory.CreateClient();
        var before = MailReader.ReadPickupFolder(Factory.PickupFolder).Count;
        for (var i = 0; i < 20; i++)
        {
            var skipped = await app.PostAsJsonAsync("/api/v1/intake/code", new { email = $"pump{i}@example.com" });
            Assert.Equal(HttpStatusCode.Forbidden, skipped.StatusCode);
            Assert.Contains("X-Bot-Answer", await skipped.Content.ReadAsStringAsync());
        }

        Assert.Equal(before, MailReader.ReadPickupFolder(Factory.PickupFolder).Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostAsJsonAsync("/api/v1/auth/sms/code", new { phone = ServiceDb.SubjectPhone })).StatusCode);

        var (challenge, difficulty) = await ChallengeAsync(app);
        Assert.Equal(12, difficulty);
        var wrong = Request("/api/v1/intake/code", new { email = "person@example.com" }, challenge, FirstNonAnswer(challenge, difficulty));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.SendAsync(wrong)).StatusCode);

        var answer = Solve(challenge, difficulty);
        Assert.Equal(HttpStatusCode.Accepted, (await app.SendAsync(Request("/api/v1/intake/code", new { email = "person@example.com" }, challenge, answer))).StatusCode);
        Assert.Single(MailReader.ReadPickupFolder(Factory.PickupFolder), m => m.To.Mailboxes.Any(b => b.Address == "person@example.com"));
        // The same answer again is a replay.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.SendAsync(Request("/api/v1/intake/code", new { email = "other@example.com" }, challenge, answer))).StatusCode);

        // A forged challenge is refused even with a "solved" answer.
        var forged = "CfDJ8" + new string('A', 120);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.SendAsync(Request("/api/v1/auth/sms/code", new { phone = ServiceDb.SubjectPhone }, forged, Solve(forged, difficulty)))).StatusCode);

        // Password sign-in in the app is never challenged.
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsJsonAsync("/api/v1/auth/login", new { email = "subject@demo.local", password = PortalForms.DemoPassword })).StatusCode);
    }

    [Fact]
    public async Task Registration_needs_the_answer_or_for_a_browser_without_scripts_a_short_wait()
    {
        var browser = Factory.CreateBrowserLikeClient();
        var page = FormPoster.Parse(await browser.GetStringAsync("/Account/Register"));
        Assert.NotNull(page.QuerySelector("[data-bot-check] input[name=bot-challenge]"));
        Assert.Contains("15 seconds", page.QuerySelector("[data-bot-check] noscript")!.InnerHtml);

        var tooSoon = await browser.PostFormAsync(page, "/Account/Register", PortalForms.Registration("no-script@example.com"), "register");
        var refused = await tooSoon.ParseAsync();
        Assert.Contains("send the form again in 15 seconds", refused.QuerySelector("[data-testid=bot-check-refused]")!.TextContent);
        // The refused page keeps the same challenge, so the wait is not restarted.
        Assert.Equal(page.QuerySelector("input[name=bot-challenge]")!.GetAttribute("value"), refused.QuerySelector("input[name=bot-challenge]")!.GetAttribute("value"));
        await using (var db = Factory.CreateDbContext())
        {
            Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == "NO-SCRIPT@EXAMPLE.COM"));
        }

        Clock.Advance(TimeSpan.FromSeconds(16));
        var waited = await browser.PostFormAsync(refused, "/Account/Register", PortalForms.Registration("no-script@example.com"), "register");
        Assert.StartsWith("/Account/ConfirmPhone", waited.RedirectPath());

        // With scripts, the answer passes at once.
        var fresh = FormPoster.Parse(await browser.GetStringAsync("/Account/Register"));
        var challenge = fresh.QuerySelector("input[name=bot-challenge]")!.GetAttribute("value")!;
        var fields = PortalForms.Registration("with-script@example.com");
        fields["Input.PhoneNumber"] = "13912345679";
        fields["bot-answer"] = Solve(challenge, 12);
        Assert.StartsWith("/Account/ConfirmPhone", (await browser.PostFormAsync(fresh, "/Account/Register", fields, "register")).RedirectPath());
    }

    [Fact]
    public async Task After_three_failed_sign_ins_from_one_address_the_sign_in_form_asks_for_the_check_too()
    {
        var browser = Factory.CreateBrowserLikeClient();
        Assert.Null(FormPoster.Parse(await browser.GetStringAsync("/Account/Login")).QuerySelector("input[name=bot-challenge]"));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await browser.PostFormAsync("/Account/Login", PortalForms.Login($"guess{attempt}@example.com", "wrong password"), "login");
        }

        var page = FormPoster.Parse(await browser.GetStringAsync("/Account/Login"));
        var challenge = page.QuerySelector("input[name=bot-challenge]")?.GetAttribute("value");
        Assert.NotNull(challenge);
        var skipped = await browser.PostFormAsync(page, "/Account/Login", PortalForms.Login("guardian@demo.local", PortalForms.DemoPassword), "login");
        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Contains("send the form again in", (await skipped.ParseAsync()).QuerySelector(".alert-danger")!.TextContent);

        var fields = PortalForms.Login("guardian@demo.local", PortalForms.DemoPassword);
        fields["bot-answer"] = Solve(challenge, 12);
        var signedIn = await browser.PostFormAsync(page, "/Account/Login", fields, "login");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    private static async Task<(string Challenge, int Difficulty)> ChallengeAsync(HttpClient client)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/api/v1/challenge");
        Assert.Equal("sha256-leading-zero-bits", body.GetProperty("algorithm").GetString());
        return (body.GetProperty("challenge").GetString()!, body.GetProperty("difficulty").GetInt32());
    }

    private static HttpRequestMessage Request(string path, object body, string challenge, string answer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Bot-Challenge", challenge);
        request.Headers.Add("X-Bot-Answer", answer);
        return request;
    }

    /// <summary>What the browser's worker and the app do: the first n whose hash has enough leading zero bits.</summary>
    internal static string Solve(string challenge, int difficulty)
    {
        for (var n = 0; ; n++)
        {
            if (BotCheck.LeadingZeroBits(SHA256.HashData(Encoding.UTF8.GetBytes($"{challenge}:{n}"))) >= difficulty)
            {
                return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    private static string FirstNonAnswer(string challenge, int difficulty)
    {
        for (var n = 0; ; n++)
        {
            if (BotCheck.LeadingZeroBits(SHA256.HashData(Encoding.UTF8.GetBytes($"{challenge}:{n}"))) < difficulty)
            {
                return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
