using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Verification;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Verification;

/// <summary>
/// Verification that fits the risk: a session with proven identifiers opens a correction or a dispute;
/// an export or a deletion waits for a fresh code; what stays unconfirmed is reminded, then closed.
/// </summary>
public sealed class RequestConfirmationTests(RequestConfirmationTests.Portal portal) : IClassFixture<RequestConfirmationTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(
        new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000", ["Outbox:WorkerEnabled"] = "false" },
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));

    private PortalFactory Factory => portal.Factory;

    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Clock!;

    [Fact]
    public async Task An_export_from_the_app_waits_for_a_fresh_code_and_opens_once_the_requester_types_it()
    {
        var api = await Factory.ApiClientAsync("subject@demo.local");
        var id = (await (await api.PostAsJsonAsync("/api/v1/requests", new { type = "Export" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var created = await api.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("AwaitingVerification", created.GetProperty("status").GetString());
        Assert.Contains("code sent to your mobile number", created.GetProperty("nextStep").GetString());
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(["request-confirm-identity"], await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync());
        }

        // Nobody else can ask for a code for it or confirm it: the request does not exist for them.
        var stranger = await Factory.ApiClientAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/requests/{id}/verification/code", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/requests/{id}/verification", new { code = "123456" })).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/requests/{id}/verification", new { code = "123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/requests/{id}/verification/code", null)).StatusCode);
        var code = SmsReader.LatestCode(Factory.SmsFolder, ServiceDb.SubjectPhone);
        var wrong = await api.PostAsJsonAsync($"/api/v1/requests/{id}/verification", new { code = code == "000000" ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("4 more tries", await wrong.Content.ReadAsStringAsync());

        var confirmed = await api.PostAsJsonAsync($"/api/v1/requests/{id}/verification", new { code });

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var request = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Open", request.GetProperty("status").GetString());
        Assert.Equal(VerificationLabels.SmsCode, request.GetProperty("verificationMethod").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/requests/{id}/verification", new { code })).StatusCode);
        await using (var db = Factory.CreateDbContext())
        {
            var step = await db.AuditEvents.SingleAsync(e => e.RequestId == id && e.Action == AuditActions.RequestStepUp);
            Assert.Contains("sms-code", step.Details);
            Assert.DoesNotContain(code, step.Details);
            Assert.Contains(await db.AuditEvents.Where(e => e.RequestId == id && e.Action == AuditActions.RequestStatusChanged).Select(e => e.Details).ToListAsync(),
                d => d!.Contains("AwaitingVerification") && d.Contains("Open"));
            Assert.Contains("request-status", await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync());
        }
    }

    [Fact]
    public async Task A_correction_opens_on_proven_identifiers_and_waits_while_the_number_is_unproven_until_it_is_proven()
    {
        var subject = await Factory.ApiClientAsync("subject@demo.local");
        var correction = new { type = "Correction", details = new { correctionField = "Nickname", correctionCurrentValue = "Lin", correctionProposedValue = "Lin Hong" } };
        var openedId = (await (await subject.PostAsJsonAsync("/api/v1/requests", correction)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var opened = await subject.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{openedId}");
        Assert.Equal("Open", opened.GetProperty("status").GetString());
        Assert.Equal(VerificationLabels.Session, opened.GetProperty("verificationMethod").GetString());

        // Someone whose number is not proven: the request waits, and the code for it needs a proven number first.
        const string email = "unproven@example.com";
        var web = Factory.CreateBrowserLikeClient();
        var fields = PortalForms.Registration(email);
        fields["Input.PhoneNumber"] = "13512340000";
        await web.PostFormAsync("/Account/Register", fields, "register");
        var mail = MailReader.ReadPickupFolder(Factory.PickupFolder).SingleTo(email);
        await web.GetAsync(mail.LinkTo("/Account/ConfirmEmail").PathAndQuery);
        var api = await Factory.ApiClientAsync(email, "correct horse battery staple");
        var waiting = await (await api.PostAsJsonAsync("/api/v1/requests", correction)).Content.ReadFromJsonAsync<JsonElement>();
        var id = waiting.GetProperty("id").GetGuid();
        Assert.Equal("AwaitingVerification", waiting.GetProperty("status").GetString());
        var noCode = await api.PostAsync($"/api/v1/requests/{id}/verification/code", null);
        Assert.Equal(HttpStatusCode.Conflict, noCode.StatusCode);
        Assert.Contains("Prove your mobile number first", await noCode.Content.ReadAsStringAsync());

        await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = "13512340000" });
        var proven = await api.PostAsJsonAsync("/api/v1/me/phone", new { phone = "13512340000", code = SmsReader.LatestCode(Factory.SmsFolder, "13512340000") });
        Assert.Equal(HttpStatusCode.OK, proven.StatusCode);

        var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("Open", after.GetProperty("status").GetString());
        Assert.Equal(VerificationLabels.SmsCode, after.GetProperty("verificationMethod").GetString());
    }

    [Fact]
    public async Task An_unconfirmed_request_is_reminded_on_days_3_and_6_and_closed_as_identity_not_verified_on_day_7()
    {
        var workflow = Factory.Services.GetRequiredService<RequestWorkflow>();
        var minor = await Factory.ActorAsync("minor@demo.local");
        var id = (await workflow.SubmitAsync(minor.Export(), minor, verificationMethod: null)).Request!.Id;
        int[] reminderDays = [3, 6];

        Clock.Advance(TimeSpan.FromDays(2));
        await Factory.Services.GetRequiredService<IdentityConfirmations>().ChaseUnverifiedAsync(reminderDays, 7);
        Assert.Equal((RequestStatus.AwaitingVerification, 0), await StateAsync(id));

        Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await Factory.Services.GetRequiredService<IdentityConfirmations>().ChaseUnverifiedAsync(reminderDays, 7);
        await Factory.Services.GetRequiredService<IdentityConfirmations>().ChaseUnverifiedAsync(reminderDays, 7);
        Assert.Equal((RequestStatus.AwaitingVerification, 1), await StateAsync(id));

        Clock.Advance(TimeSpan.FromDays(3));
        await Factory.Services.GetRequiredService<IdentityConfirmations>().ChaseUnverifiedAsync(reminderDays, 7);
        Assert.Equal((RequestStatus.AwaitingVerification, 2), await StateAsync(id));

        Clock.Advance(TimeSpan.FromDays(1));
        await Factory.Services.GetRequiredService<IdentityConfirmations>().ChaseUnverifiedAsync(reminderDays, 7);

        await using var db = Factory.CreateDbContext();
        var closed = await db.Requests.SingleAsync(r => r.Id == id);
        Assert.Equal((RequestStatus.Refused, RefusalReason.IdentityNotVerified), (closed.Status, closed.RefusalReason));
        Assert.Contains("within 7 days", closed.RefusalExplanation);
        var mails = await db.OutboxMessages.Where(m => m.RequestId == id).OrderBy(m => m.Id).Select(m => new { m.Template, m.Values }).ToListAsync();
        Assert.Equal(["request-confirm-identity", "request-confirm-reminder", "request-confirm-reminder", "request-refused"], mails.Select(m => m.Template));
        Assert.Contains("\"CloseDate\":\"2026-11-09\"", mails[1].Values);
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.RequestVerificationReminded));
    }

    private async Task<(RequestStatus, int)> StateAsync(Guid id)
    {
        await using var db = Factory.CreateDbContext();
        var request = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id);
        return (request.Status, request.VerificationReminders);
    }
}

/// <summary>A requester with an authenticator app may confirm with its code instead of a text message (on the real clock, as the app runs).</summary>
public sealed class AuthenticatorConfirmationTests(AuthenticatorConfirmationTests.Portal portal) : IClassFixture<AuthenticatorConfirmationTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Fact]
    public async Task The_authenticator_apps_code_confirms_a_waiting_export()
    {
        var factory = portal.Factory;
        var subject = await factory.ActorAsync("subject@demo.local");
        string key;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(subject.UserId))!;
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        var id = (await factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, verificationMethod: null)).Request!.Id;
        using (var scope = factory.Services.CreateScope())
        {
            var confirmation = scope.ServiceProvider.GetRequiredService<RequestConfirmation>();
            Assert.True((await confirmation.TargetAsync(id, subject, CancellationToken.None))!.HasAuthenticator);
            var wrong = await confirmation.ConfirmAsync(id, subject, Totp.Code(key) == "000000" ? "111111" : "000000", authenticator: true, CancellationToken.None);
            Assert.Contains("authenticator app", wrong.CodeError);

            var right = await confirmation.ConfirmAsync(id, subject, Totp.Code(key), authenticator: true, CancellationToken.None);

            Assert.Null(right.CodeError);
            Assert.Equal(RequestStatus.Open, right.Result!.Request!.Status);
            Assert.Equal(VerificationLabels.Authenticator, right.Result.Request.VerificationMethod);
        }
    }
}
