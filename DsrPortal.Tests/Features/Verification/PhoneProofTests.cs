using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Verification;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Verification;

/// <summary>
/// A mobile number is an identifier only once its owner proves it: a stranger who types someone else's
/// number gets none of their records, and cannot get a code for it accepted.
/// </summary>
public sealed class PhoneProofTests(PhoneProofTests.Portal portal) : IClassFixture<PhoneProofTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(
        new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000", ["Outbox:WorkerEnabled"] = "false" },
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));

    private PortalFactory Factory => portal.Factory;

    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Clock!;

    private static readonly string[] ServiceCategories = ["Profile", "Devices", "Dynamics", "Photos", "Comments", "ReadingRecords"];

    [Fact]
    public async Task One_account_cycling_through_numbers_is_cut_off_after_twice_the_hourly_cap()
    {
        await RegisterAndConfirmAsync("pumper@example.com", "13912340000");
        var api = await Factory.ApiClientAsync("pumper@example.com", Password);
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = $"1391234{i:D4}" })).StatusCode);
        }

        var cut = await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = "13912349999" });
        Assert.Equal(HttpStatusCode.TooManyRequests, cut.StatusCode);
        Assert.True(cut.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Empty(SmsReader.To(Factory.SmsFolder, "13912349999"));
    }

    [Fact]
    public async Task A_stranger_who_registers_with_the_subjects_number_sees_none_of_their_records_and_cannot_prove_it()
    {
        var stranger = await RegisterAndConfirmAsync("stranger@example.com", ServiceDb.SubjectPhone);

        // My data, in the API and on the page: the portal's own records only, and why.
        var api = await Factory.ApiClientAsync("stranger@example.com", Password);
        var data = await api.GetFromJsonAsync<JsonElement>("/api/v1/me/data");
        Assert.False(data.GetProperty("phoneProven").GetBoolean());
        Assert.Contains("not proven", data.GetProperty("notice").GetString());
        var counts = Counts(data);
        Assert.All(ServiceCategories, category => Assert.Equal(0, counts[category]));
        Assert.Equal(1, counts["PortalAccount"]);
        var page = FormPoster.Parse(await (await Factory.SignedInClientAsync("stranger@example.com", Password)).GetStringAsync("/my-data"));
        Assert.NotNull(page.QuerySelector("[data-testid=phone-not-proven]"));

        // Nothing of the subject's can be exported or deleted for the stranger: the plan matches no service row.
        var personalData = Factory.Services.GetRequiredService<PersonalData>();
        var keys = await personalData.KeysAsync(stranger, CancellationToken.None);
        Assert.Null(keys!.Phone);
        var plan = await personalData.PlanErasureAsync(keys, null, CancellationToken.None);
        Assert.All(plan.Where(s => s.Source != PortalDataSource.SourceName), step => Assert.Equal(0, step.Rows));

        // The code goes to the number's owner, never to the stranger; guessing is cut off after five tries.
        var before = SmsReader.To(Factory.SmsFolder, ServiceDb.SubjectPhone).Count;
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = ServiceDb.SubjectPhone })).StatusCode);
        Assert.Equal(before + 1, SmsReader.To(Factory.SmsFolder, ServiceDb.SubjectPhone).Count);
        var realCode = SmsReader.LatestCode(Factory.SmsFolder, ServiceDb.SubjectPhone);
        var wrong = realCode == "000000" ? "111111" : "000000";
        for (var guess = 1; guess <= 5; guess++)
        {
            var refused = await api.PostAsJsonAsync("/api/v1/me/phone", new { phone = ServiceDb.SubjectPhone, code = wrong });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var exhausted = await api.PostAsJsonAsync("/api/v1/me/phone", new { phone = ServiceDb.SubjectPhone, code = realCode });
        Assert.Equal(HttpStatusCode.BadRequest, exhausted.StatusCode);
        Assert.Contains("Too many wrong tries", await exhausted.Content.ReadAsStringAsync());

        // Even the right code (the owner tricked into reading it out) cannot move a proven number to another account.
        Clock.Advance(TimeSpan.FromMinutes(2));
        await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = ServiceDb.SubjectPhone });
        var taken = await api.PostAsJsonAsync("/api/v1/me/phone",
            new { phone = ServiceDb.SubjectPhone, code = SmsReader.LatestCode(Factory.SmsFolder, ServiceDb.SubjectPhone) });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("already belongs to another account", await taken.Content.ReadAsStringAsync());
        await using var db = Factory.CreateDbContext();
        var row = await db.Users.SingleAsync(u => u.Id == stranger);
        Assert.False(row.PhoneNumberConfirmed);
        Assert.Null(row.PhoneNumberIndex);
    }

    [Fact]
    public async Task The_owner_proves_their_number_with_the_code_and_then_sees_everything()
    {
        var owner = await RegisterAndConfirmAsync("owner@example.com", ServiceDb.GuardianPhone, unproveDemoHolder: "guardian@demo.local");
        var api = await Factory.ApiClientAsync("owner@example.com", Password);
        var before = Counts(await Data(api));
        Assert.All(ServiceCategories, category => Assert.Equal(0, before[category]));

        var sent = await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = "+86 138 0000 0002" });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var body = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(600, body.GetProperty("expiresIn").GetInt32());
        var sms = SmsReader.To(Factory.SmsFolder, ServiceDb.GuardianPhone)[^1];
        Assert.Matches(@"^\d{6}$", sms.Code);
        Assert.Contains(sms.Code!, sms.Text);

        var proven = await api.PostAsJsonAsync("/api/v1/me/phone", new { phone = ServiceDb.GuardianPhone, code = sms.Code });
        Assert.Equal(HttpStatusCode.OK, proven.StatusCode);
        Assert.Equal("138****0002", (await proven.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phone").GetString());

        var data = await Data(api);
        Assert.True(data.GetProperty("phoneProven").GetBoolean());
        var counts = Counts(data);
        Assert.Equal(Factory.CountFor("devices", ServiceDb.GuardianPhone), counts["Devices"]);
        Assert.Equal(Factory.CountFor("reading_records", ServiceDb.GuardianPhone), counts["ReadingRecords"]);
        Assert.True(counts["Devices"] > 0);

        // A used code is spent; the proof is audited without the number.
        var replay = await api.PostAsJsonAsync("/api/v1/me/phone", new { phone = ServiceDb.GuardianPhone, code = sms.Code });
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        await using var db = Factory.CreateDbContext();
        var stored = await db.OneTimeCodes.Where(c => c.CodeHash != "").Select(c => c.CodeHash).ToListAsync();
        Assert.DoesNotContain(stored, hash => hash.Contains(sms.Code!));
        var proof = await db.AuditEvents.Where(e => e.Action == AuditActions.PhoneNumberProven).OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal(owner, proof.ActorId);
        Assert.DoesNotContain("0002", proof.Details ?? "");
    }

    [Fact]
    public async Task Registration_proves_the_number_with_a_code_and_a_second_account_is_told_how_to_recover_the_first()
    {
        var client = Factory.CreateBrowserLikeClient();
        var fields = PortalForms.Registration("first@example.com");
        fields["Input.PhoneNumber"] = "13712345670";
        var registered = await client.PostFormAsync("/Account/Register", fields, "register");
        var confirmPhone = registered.RedirectPath();
        Assert.StartsWith("/Account/ConfirmPhone?ticket=", confirmPhone);

        var codeStep = await client.PostFormAsync(confirmPhone, new Dictionary<string, string> { ["Send.PhoneNumber"] = "13712345670" }, "phone-send");
        var codePage = await codeStep.ParseAsync();
        Assert.Contains("137****5670", codePage.QuerySelector("[data-testid=phone-code-sent]")!.TextContent);
        var wrong = await (await client.PostFormAsync(codePage, confirmPhone, new Dictionary<string, string> { ["Check.Code"] = "12345" }, "phone-check")).ParseAsync();
        Assert.Contains("Enter the 6-digit code", wrong.QuerySelector("[data-testid=phone-error]")!.TextContent);
        var code = SmsReader.LatestCode(Factory.SmsFolder, "13712345670");
        var done = await client.PostFormAsync(wrong, confirmPhone, new Dictionary<string, string> { ["Check.Code"] = code }, "phone-check");
        Assert.StartsWith("/Account/RegisterConfirmation", done.RedirectPath());
        await using (var db = Factory.CreateDbContext())
        {
            Assert.True((await db.Users.SingleAsync(u => u.Email == "first@example.com")).PhoneNumberConfirmed);
        }

        // The ticket has done its work: replayed, it cannot change the number again.
        var replayed = await (await client.GetAsync(confirmPhone)).ParseAsync();
        Assert.NotNull(replayed.QuerySelector("[data-testid=ticket-expired]"));

        // A second account with the same number: only after proving it is the person told, and the number stays with the first.
        Clock.Advance(TimeSpan.FromMinutes(2));
        var second = Factory.CreateBrowserLikeClient();
        fields = PortalForms.Registration("second@example.com");
        fields["Input.PhoneNumber"] = "137 1234 5670";
        var secondPhone = (await second.PostFormAsync("/Account/Register", fields, "register")).RedirectPath();
        var secondCodePage = await (await second.PostFormAsync(secondPhone, new Dictionary<string, string> { ["Send.PhoneNumber"] = "13712345670" }, "phone-send")).ParseAsync();
        var refused = await (await second.PostFormAsync(secondCodePage, secondPhone,
            new Dictionary<string, string> { ["Check.Code"] = SmsReader.LatestCode(Factory.SmsFolder, "13712345670") }, "phone-check")).ParseAsync();
        var message = refused.QuerySelector("[data-testid=phone-error]")!.TextContent;
        Assert.Contains("already belongs to another account", message);
        Assert.Contains("Forgot your password?", message);
        Assert.DoesNotContain("first@", message);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.False((await db.Users.SingleAsync(u => u.Email == "second@example.com")).PhoneNumberConfirmed);
        }
    }

    [Fact]
    public async Task Codes_live_ten_minutes_and_a_number_gets_one_a_minute_and_five_an_hour()
    {
        var codes = Factory.Services.GetRequiredService<OneTimeCodes>();
        const string phone = "13612345678";
        const string user = "no-such-user";

        var first = await codes.SendAsync(CodePurpose.ProvePhone, phone, user, "en", deliver: true, CancellationToken.None);
        Assert.True(first.Sent);
        var again = await codes.SendAsync(CodePurpose.ProvePhone, phone, user, "en", deliver: true, CancellationToken.None);
        Assert.False(again.Sent);
        Assert.Equal(TimeSpan.FromSeconds(60), again.RetryAfter);
        Assert.Contains("60 seconds", again.Error);

        Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = await codes.CheckAsync(CodePurpose.ProvePhone, phone, user, SmsReader.LatestCode(Factory.SmsFolder, phone), CancellationToken.None);
        Assert.Equal("This code has expired. Ask for a new one.", late.Error);

        // Four more, a minute apart, make five in the hour; the sixth waits until the first is an hour old.
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await codes.SendAsync(CodePurpose.ProvePhone, phone, user, "en", deliver: true, CancellationToken.None)).Sent);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var capped = await codes.SendAsync(CodePurpose.ProvePhone, phone, user, "en", deliver: true, CancellationToken.None);
        Assert.False(capped.Sent);
        Assert.True(capped.RetryAfter > TimeSpan.FromMinutes(40), $"Waited only {capped.RetryAfter}.");

        // Only the newest code counts, once.
        Clock.Advance(capped.RetryAfter);
        Assert.True((await codes.SendAsync(CodePurpose.ProvePhone, phone, user, "zh-CN", deliver: true, CancellationToken.None)).Sent);
        var latest = SmsReader.To(Factory.SmsFolder, phone)[^1];
        Assert.Contains("验证码", latest.Text);
        Assert.True((await codes.CheckAsync(CodePurpose.ProvePhone, phone, user, latest.Code, CancellationToken.None)).Accepted);
        Assert.False((await codes.CheckAsync(CodePurpose.ProvePhone, phone, user, latest.Code, CancellationToken.None)).Accepted);
        // A code for one purpose or account does not serve another.
        const string other = "13612345679";
        await codes.SendAsync(CodePurpose.ProvePhone, other, user, "en", deliver: true, CancellationToken.None);
        var code = SmsReader.LatestCode(Factory.SmsFolder, other);
        Assert.False((await codes.CheckAsync(CodePurpose.SignIn, other, null, code, CancellationToken.None)).Accepted);
        Assert.False((await codes.CheckAsync(CodePurpose.ProvePhone, other, "someone-else", code, CancellationToken.None)).Accepted);
        Assert.False((await codes.CheckAsync(CodePurpose.ProvePhone, phone, user, code, CancellationToken.None)).Accepted);
        Assert.True((await codes.CheckAsync(CodePurpose.ProvePhone, other, user, code, CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task The_app_signs_in_with_a_code_and_a_number_without_an_account_gets_the_same_answer_and_no_text()
    {
        var client = Factory.CreateClient();
        const string nobody = "13598765432";
        var known = await client.PostAsJsonAsync("/api/v1/auth/sms/code", new { phone = "13800000003" });
        var unknown = await client.PostAsJsonAsync("/api/v1/auth/sms/code", new { phone = nobody });

        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Empty(SmsReader.To(Factory.SmsFolder, nobody));
        var throttled = await client.PostAsJsonAsync("/api/v1/auth/sms/code", new { phone = nobody });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("60", throttled.Headers.RetryAfter!.ToString());

        var wrong = await client.PostAsJsonAsync("/api/v1/auth/sms/login", new { phone = nobody, code = "123456" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var badPhone = await client.PostAsJsonAsync("/api/v1/auth/sms/login", new { phone = "12345", code = "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);

        var login = await client.PostAsJsonAsync("/api/v1/auth/sms/login",
            new { phone = "13800000003", code = SmsReader.LatestCode(Factory.SmsFolder, "13800000003") });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var app = Factory.CreateClient();
        app.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var phone = await app.GetFromJsonAsync<JsonElement>("/api/v1/me/phone");
        Assert.Equal("138****0003", phone.GetProperty("phone").GetString());
        Assert.True(phone.GetProperty("proven").GetBoolean());
        await using var db = Factory.CreateDbContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.PhoneSignIn));
    }

    private const string Password = "correct horse battery staple";

    /// <summary>Registers on the web, confirms the email from the emailed link, and returns the new account's id.</summary>
    private async Task<string> RegisterAndConfirmAsync(string email, string phone, string? unproveDemoHolder = null)
    {
        if (unproveDemoHolder is not null)
        {
            // As if the demo account had never proven it: the number is free for its owner to prove.
            await using var db = Factory.CreateDbContext();
            await db.Users.Where(u => u.Email == unproveDemoHolder)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PhoneNumberConfirmed, false).SetProperty(u => u.PhoneNumberIndex, (string?)null));
        }

        var client = Factory.CreateBrowserLikeClient();
        var fields = PortalForms.Registration(email);
        fields["Input.PhoneNumber"] = phone;
        var registered = await client.PostFormAsync("/Account/Register", fields, "register");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var mail = MailReader.ReadPickupFolder(Factory.PickupFolder).SingleTo(email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(mail.LinkTo("/Account/ConfirmEmail").PathAndQuery)).StatusCode);
        await using var context = Factory.CreateDbContext();
        return (await context.Users.SingleAsync(u => u.Email == email)).Id;
    }

    private static Task<JsonElement> Data(HttpClient api) => api.GetFromJsonAsync<JsonElement>("/api/v1/me/data");

    private static Dictionary<string, long> Counts(JsonElement data) =>
        data.GetProperty("categories").EnumerateArray()
            .Where(c => c.GetProperty("count").ValueKind == JsonValueKind.Number)
            .ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("count").GetInt64());
}
