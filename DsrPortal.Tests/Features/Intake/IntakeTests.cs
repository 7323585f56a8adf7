using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Verification;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Intake;

/// <summary>
/// Requests from people without an account: they prove an email address or a mobile number with a code,
/// make the request, and follow it through the signed link every message about it carries. Data is matched
/// on the proven identifier only, and a registered account's identifier is never taken over.
/// </summary>
public sealed class IntakeTests(IntakeTests.Portal portal) : IClassFixture<IntakeTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(
        new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000", ["Outbox:WorkerEnabled"] = "false" },
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));

    private PortalFactory Factory => portal.Factory;

    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Clock!;

    [Fact]
    public async Task Someone_without_an_account_proves_an_email_address_on_the_web_and_follows_the_request_through_the_emailed_link()
    {
        const string email = "walk-in@example.com";
        var browser = Factory.CreateBrowserLikeClient();
        var sent = await browser.PostFormAsync("/make-a-request", new Dictionary<string, string> { ["Send.Contact"] = "Walk-In@Example.com" }, "intake-send");
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var codePage = await sent.ParseAsync();
        Assert.Contains("w***@example.com", codePage.QuerySelector("[data-testid=intake-code-sent]")!.TextContent);
        var code = CodeIn(MailReader.ReadPickupFolder(Factory.PickupFolder).SingleTo(email));

        var wrong = await browser.PostFormAsync(codePage, "/make-a-request",
            new Dictionary<string, string> { ["Check.Code"] = code == "000000" ? "111111" : "000000" }, "intake-check");
        Assert.Contains("4 more tries", (await wrong.ParseAsync()).QuerySelector("[data-testid=intake-error]")!.TextContent);

        var proven = await browser.PostFormAsync(codePage, "/make-a-request", new Dictionary<string, string> { ["Check.Code"] = code }, "intake-check");
        Assert.Equal("/requests/new", proven.RedirectPath());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/requests/new")).StatusCode);
        Assert.Contains("under the email address you proved", await browser.GetStringAsync("/my-data"));

        string guestId;
        await using (var db = Factory.CreateDbContext())
        {
            var guest = await db.Users.SingleAsync(u => u.NormalizedEmail == email.ToUpperInvariant());
            Assert.True(guest.IsGuest);
            Assert.True(guest.EmailConfirmed);
            Assert.Null(guest.PasswordHash);
            guestId = guest.Id;
            var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.GuestProven && e.ActorId == guestId);
            Assert.Contains("email-code", audit.Details);
            Assert.DoesNotContain(email, audit.Details);
        }

        // The request itself goes through the same use case as the request page; the guest hears by email, with a signed link.
        var actor = new DsrPortal.Features.Requests.RequestActor(guestId, DsrPortal.Features.Accounts.PortalRoles.Subject);
        var correction = new DsrPortal.Features.Requests.NewRequest
        {
            Type = DsrPortal.Features.Requests.RequestType.Correction, SubjectId = guestId, RequesterId = guestId,
            CorrectionField = "Nickname", CorrectionProposedValue = "Walker",
        };
        var method = await WithScopeAsync<RequestConfirmation, string?>(c => c.MethodAtSubmissionAsync(correction, null, CancellationToken.None));
        Assert.Equal(VerificationLabels.GuestSession, method);
        var submitted = await Factory.Services.GetRequiredService<DsrPortal.Features.Requests.RequestWorkflow>().SubmitAsync(correction, actor, method);
        var requestId = submitted.Request!.Id;
        await Factory.Services.GetRequiredService<OutboxSender>().ProcessBatchAsync();
        var receipt = MailReader.ReadPickupFolder(Factory.PickupFolder).Where(m => (m.Subject ?? "").Contains("We received your request")).SingleTo(email);
        var link = receipt.LinkTo("/follow/");

        var stranger = Factory.CreateBrowserLikeClient();
        var opened = await stranger.GetAsync(link.PathAndQuery);
        Assert.Equal($"/requests/{requestId}", opened.RedirectPath());
        Assert.Equal("no-store", opened.Headers.CacheControl?.ToString());
        var page = await stranger.GetAsync($"/requests/{requestId}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(submitted.Request!.Reference, await page.Content.ReadAsStringAsync());

        // A forged or altered link opens nothing.
        var forged = await Factory.CreateBrowserLikeClient().GetAsync(link.PathAndQuery[..^4] + "AAAA");
        Assert.Equal("/make-a-request?expired=true", forged.RedirectPath());
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.GuestLinkUsed && e.RequestId == requestId));
        }
    }

    [Fact]
    public async Task The_app_proves_a_mobile_number_sees_what_the_services_hold_under_it_and_an_export_made_at_once_needs_no_second_code()
    {
        var phone = (string)Factory.ServiceScalar("SELECT phone FROM users WHERE phone NOT LIKE '138000000%' ORDER BY id LIMIT 1")!;
        var app = Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsJsonAsync("/api/v1/intake/code", new { phone })).StatusCode);
        var code = SmsReader.LatestCode(Factory.SmsFolder, phone);
        var token = await app.PostAsJsonAsync("/api/v1/intake/token", new { phone, code });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        app.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());

        var data = await app.GetFromJsonAsync<JsonElement>("/api/v1/me/data");
        Assert.True(data.GetProperty("phoneProven").GetBoolean());
        var photos = data.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "Photos");
        Assert.Equal(Factory.CountFor("photos", phone), photos.GetProperty("count").GetInt64());

        var export = await app.PostAsJsonAsync("/api/v1/requests", new { type = "Export" });
        Assert.Equal(HttpStatusCode.Created, export.StatusCode);
        var id = (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var request = await app.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("Open", request.GetProperty("status").GetString());
        Assert.Equal(VerificationLabels.SmsCode, request.GetProperty("verificationMethod").GetString());

        // Eleven minutes on, the code is no longer fresh: a deletion waits for a new one, sent to the proven number.
        Clock.Advance(TimeSpan.FromMinutes(11));
        var deletion = await app.PostAsJsonAsync("/api/v1/requests", new { type = "Deletion", scope = new { deletion = "WholeAccount" } });
        var deletionId = (await deletion.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal("AwaitingVerification", (await app.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{deletionId}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync($"/api/v1/requests/{deletionId}/verification/code", null)).StatusCode);
        var confirmed = await app.PostAsJsonAsync($"/api/v1/requests/{deletionId}/verification", new { code = SmsReader.LatestCode(Factory.SmsFolder, phone) });
        Assert.Equal("Open", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        // A phone-only guest hears by text message, with the signed link.
        await Factory.Services.GetRequiredService<OutboxSender>().ProcessBatchAsync();
        var notice = SmsReader.To(Factory.SmsFolder, phone).Last(m => m.Code is null);
        Assert.Contains("/follow/", notice.Text);
    }

    [Fact]
    public async Task An_address_or_number_of_a_registered_account_gets_a_code_like_any_other_but_the_proof_sends_its_owner_to_sign_in()
    {
        var app = Factory.CreateClient();
        var known = await app.PostAsJsonAsync("/api/v1/intake/code", new { email = "subject@demo.local" });
        var unknown = await app.PostAsJsonAsync("/api/v1/intake/code", new { email = "nobody-here@example.com" });
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await known.Content.ReadAsStringAsync());

        var code = CodeIn(MailReader.ReadPickupFolder(Factory.PickupFolder).Where(m => (m.Subject ?? "").Contains("code")).SingleTo("subject@demo.local"));
        var proof = await app.PostAsJsonAsync("/api/v1/intake/token", new { email = "subject@demo.local", code });
        Assert.Equal(HttpStatusCode.Conflict, proof.StatusCode);
        Assert.Contains("Sign in", await proof.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsJsonAsync("/api/v1/intake/code", new { phone = ServiceDb.SubjectPhone })).StatusCode);
        var byPhone = await app.PostAsJsonAsync("/api/v1/intake/token", new { phone = ServiceDb.SubjectPhone, code = SmsReader.LatestCode(Factory.SmsFolder, ServiceDb.SubjectPhone) });
        Assert.Equal(HttpStatusCode.Conflict, byPhone.StatusCode);
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.IsGuest && u.NormalizedEmail == "SUBJECT@DEMO.LOCAL"));

        // Malformed input is a clear 400, never an error page.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostAsJsonAsync("/api/v1/intake/code", new { email = "not-an-address" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostAsJsonAsync("/api/v1/intake/code", new { email = "a@example.com", phone = "13812345678" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostAsJsonAsync("/api/v1/intake/token", new { phone = "13812345678", code = "12" })).StatusCode);
    }

    private async Task<TResult> WithScopeAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static string CodeIn(MimeKit.MimeMessage message) =>
        System.Text.RegularExpressions.Regex.Match(message.TextBody ?? message.HtmlBody ?? "", @"\b\d{6}\b").Value;
}
