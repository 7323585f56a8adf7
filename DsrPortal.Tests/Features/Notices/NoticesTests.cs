using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notices;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Preferences;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Notices;

public sealed class NoticesTests(NoticesTests.Portal portal) : IClassFixture<NoticesTests.Portal>
{
    public sealed class Portal : PortalFactoryFixture;

    private NoticeService Notices => portal.Factory.Services.GetRequiredService<NoticeService>();

    private static BreachParts Breach => new(
        "On 1 December a misconfigured photo server exposed photo files for six hours.", "12月1日，一台配置错误的照片服务器使照片文件暴露了六个小时。",
        "Photos you uploaded; no passwords or phone numbers.", "您上传的照片；不涉及密码和手机号码。",
        "We closed the access, checked the logs and reported it to the regulator.", "我们关闭了访问，检查了日志并向监管部门报告。",
        "Review your photos and delete any you no longer want to share.", "请检查您的照片，删除不再希望分享的照片。");

    private async Task<AuditActor> SupervisorAsync() => (await portal.Factory.ActorAsync("supervisor@demo.local")).ForAudit;

    [Fact]
    public async Task A_breach_notice_reaches_only_the_chosen_group_and_its_delivery_and_reading_figures_are_right()
    {
        var supervisor = await SupervisorAsync();

        // A list names the people by the identifiers the company knows them by; one matches nobody, and a staff
        // member's address is never a recipient.
        var result = await Notices.SendAsync(new NoticeDraft(NoticeKind.Breach, "Photo server incident", "照片服务器事件", null, null,
            NoticeAudience.List, List: $"subject@demo.local\n{ServiceDb.GuardianPhone}\nnobody@example.com\nagent@demo.local", Breach: Breach), supervisor);

        Assert.Null(result.Problem);
        Assert.Equal(2, result.Notice!.RecipientCount);
        Assert.Equal(2, result.Unmatched);

        // Each is told by email in their language, with the four things the law asks for.
        var mail = await Eventually.ValueAsync(() =>
        {
            var sent = MailReader.ReadPickupFolder(portal.Factory.PickupFolder).Where(m => m.Subject == "Photo server incident").ToList();
            return sent.Count == 2 ? sent : null;
        });
        Assert.Equal(["guardian@demo.local", "subject@demo.local"], mail.Select(m => m.To.Mailboxes.Single().Address).Order());
        var body = mail[0].HtmlBody!;
        foreach (var part in new[] { "What happened", "What data is concerned", "What we have done", "What you can do", "misconfigured photo server" })
        {
            Assert.Contains(part, body);
        }

        // Delivered to both, read by nobody yet; one reads it in the app and the figure follows.
        var figures = await Eventually.ValueAsync(async () =>
            (await Notices.SentAsync()).Single(f => f.Notice.Id == result.Notice.Id) is { Delivered: 2 } f ? f : null);
        Assert.Equal((2, 0, 0, 0), (figures.Recipients, figures.Queued, figures.NotDelivered, figures.Read));

        var subject = await portal.Factory.ApiClientAsync("subject@demo.local");
        var listed = await subject.GetFromJsonAsync<JsonElement>("/api/v1/me/notices");
        var notice = listed.EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == result.Notice.Id);
        Assert.Equal("Breach", notice.GetProperty("kind").GetString());
        Assert.False(notice.GetProperty("needsAnswer").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await subject.PostAsync($"/api/v1/me/notices/{result.Notice.Id}/read", null)).StatusCode);
        Assert.Equal(1, (await Notices.SentAsync()).Single(f => f.Notice.Id == result.Notice.Id).Read);

        // The supervisors' page shows the same figures on the notice's row: 2 people, 2 delivered, 1 read.
        var page = await (await portal.Factory.SignedInClientAsync("supervisor@demo.local")).GetStringAsync("/notices/send");
        var row = System.Text.RegularExpressions.Regex.Match(page, $"data-testid=\"notice-row-{result.Notice.Id}\".*?</tr>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        foreach (var figure in new[] { "notice-people\">2<", "notice-delivered\">2<", "notice-undelivered\">0<", "notice-read\">1<" })
        {
            Assert.Contains(figure, row);
        }

        // Someone it did not go to cannot read or mark it, even knowing its number.
        var minor = await portal.Factory.ApiClientAsync("minor@demo.local");
        Assert.DoesNotContain((await minor.GetFromJsonAsync<JsonElement>("/api/v1/me/notices")).EnumerateArray(), n => n.GetProperty("id").GetInt64() == result.Notice.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await minor.PostAsync($"/api/v1/me/notices/{result.Notice.Id}/read", null)).StatusCode);

        // The audit trail records the sending with codes and counts, never the list.
        await using var db = portal.Factory.CreateDbContext();
        var audited = await db.AuditEvents.Where(e => e.Action == AuditActions.NoticeSent).Select(e => e.Details).ToListAsync();
        Assert.Contains(audited, d => d.Contains("Breach") && d.Contains("\"recipients\":\"2\""));
        Assert.DoesNotContain(audited, d => d.Contains("@demo.local") || d.Contains(ServiceDb.GuardianPhone));
    }

    [Fact]
    public async Task A_notice_about_a_category_goes_to_the_people_we_hold_it_for()
    {
        var result = await Notices.SendAsync(new NoticeDraft(NoticeKind.Breach, "Photos", "照片", null, null,
            NoticeAudience.HoldingCategory, Category: "Photos", Breach: Breach), await SupervisorAsync());

        await using var db = portal.Factory.CreateDbContext();
        var recipients = await (from r in db.NoticeRecipients
                                join u in db.Users on r.UserId equals u.Id
                                where r.NoticeId == result.Notice!.Id
                                select u.Email).ToListAsync();
        var expected = new[] { ("subject@demo.local", ServiceDb.SubjectPhone), ("guardian@demo.local", ServiceDb.GuardianPhone), ("minor@demo.local", "13800000003") }
            .Where(p => portal.Factory.CountFor("users", p.Item2) > 0 && portal.Factory.CountFor("photos", p.Item2) > 0)
            .Select(p => p.Item1);
        Assert.NotEmpty(recipients);
        Assert.Equal(expected.Order(), recipients.Order());
    }

    [Fact]
    public async Task A_draft_that_cannot_go_says_why_and_sends_nothing()
    {
        var supervisor = await SupervisorAsync();
        await using var db = portal.Factory.CreateDbContext();
        var before = await db.Notices.CountAsync();

        var missingPart = await Notices.SendAsync(new NoticeDraft(NoticeKind.Breach, "T", "标题", null, null, NoticeAudience.Everyone,
            Breach: Breach with { WhatYouCanDoChinese = " " }), supervisor);
        var badEntry = await Notices.SendAsync(new NoticeDraft(NoticeKind.Merger, "T", "标题", "Body", "正文", NoticeAudience.List,
            List: "subject@demo.local\nnot an address"), supervisor);
        var noPurpose = await Notices.SendAsync(new NoticeDraft(NoticeKind.NewPurpose, "T", "标题", "Body", "正文", NoticeAudience.Everyone,
            PurposeKey: ProcessingPurpose.Advertising), supervisor);

        Assert.Contains("PIPL Art. 57", missingPart.Problem);
        Assert.Equal(("Entry {0} of the list is neither an email address nor a mainland mobile number.", "2"), (badEntry.Problem, badEntry.Detail));
        Assert.Contains("needs express consent", noPurpose.Problem);
        Assert.Equal(before, await db.Notices.CountAsync());
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.Template == NoticeService.Template && m.Status == OutboxStatus.Pending && m.NoticeId == null));
    }

    [Fact]
    public async Task A_new_purpose_applies_only_once_the_person_agrees_and_the_app_asks_and_records_the_answer()
    {
        var choices = portal.Factory.Services.GetRequiredService<ProcessingChoices>();
        var supervisor = await SupervisorAsync();

        // Sharing with a named company needs express consent, whatever the supervisor ticked.
        Assert.Null(await choices.AddPurposeAsync(new PurposeDraft("PartnerInsights", PurposeBasis.Refusable, "Acme Analytics Ltd",
            "Insights shared with Acme Analytics", "与Acme分析公司共享的洞察", "Usage statistics shared with Acme Analytics.", "与Acme分析公司共享的使用统计。"), supervisor));
        Assert.NotNull(await choices.AddPurposeAsync(new PurposeDraft("partnerinsights", PurposeBasis.ExpressConsent, null, "x", "x", "x", "x"), supervisor));

        var app = await portal.Factory.ApiClientAsync("guardian@demo.local");
        var before = (await app.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == "PartnerInsights");
        Assert.Equal(("ExpressConsent", "Acme Analytics Ltd", "Refused", true),
            (before.GetProperty("basis").GetString(), before.GetProperty("recipient").GetString(), before.GetProperty("decision").GetString(), before.GetProperty("needsAnswer").GetBoolean()));

        var sent = await Notices.SendAsync(new NoticeDraft(NoticeKind.NewPurpose, "May we share insights?", "我们可以共享洞察吗？",
            "We would like to share usage statistics with Acme Analytics.", "我们希望与Acme分析公司共享使用统计。", NoticeAudience.Everyone, PurposeKey: "PartnerInsights"), supervisor);
        Assert.True(sent.Notice!.NeedsAnswer);

        // The app asks: the notice is pending, in the caller's language.
        app.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var pending = (await app.GetFromJsonAsync<JsonElement>("/api/v1/me/notices?pending=true")).EnumerateArray().Single();
        Assert.Equal("我们可以共享洞察吗？", pending.GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostAsJsonAsync($"/api/v1/me/notices/{sent.Notice.Id}/answer", new { answer = "Maybe" })).StatusCode);
        var answered = await app.PostAsJsonAsync($"/api/v1/me/notices/{sent.Notice.Id}/answer", new { answer = "Agree" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        var after = (await app.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == "PartnerInsights");
        Assert.Equal(("Allowed", false, "Api"), (after.GetProperty("decision").GetString(), after.GetProperty("needsAnswer").GetBoolean(), after.GetProperty("channel").GetString()));
        Assert.Empty((await app.GetFromJsonAsync<JsonElement>("/api/v1/me/notices?pending=true")).EnumerateArray());

        // Another person declines in the app: the use stays refused for them, and they are not asked again.
        var declining = await portal.Factory.ApiClientAsync("subject@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await declining.PostAsJsonAsync($"/api/v1/me/notices/{sent.Notice.Id}/answer", new { answer = "Decline" })).StatusCode);
        var declined = (await declining.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == "PartnerInsights");
        Assert.Equal(("Refused", false, "Api"), (declined.GetProperty("decision").GetString(), declined.GetProperty("needsAnswer").GetBoolean(), declined.GetProperty("channel").GetString()));
        Assert.Empty((await declining.GetFromJsonAsync<JsonElement>("/api/v1/me/notices?pending=true")).EnumerateArray());

        // A notice that asks nothing cannot be "answered"; the figures count the agreement and the refusal.
        var info = await Notices.SendAsync(new NoticeDraft(NoticeKind.Merger, "Merger", "合并", "Body", "正文", NoticeAudience.List, List: "guardian@demo.local"), supervisor);
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostAsJsonAsync($"/api/v1/me/notices/{info.Notice!.Id}/answer", new { answer = "Agree" })).StatusCode);
        var figures = (await Notices.SentAsync()).Single(f => f.Notice.Id == sent.Notice.Id);
        Assert.Equal((1, 1), (figures.Agreed, figures.Declined));

        // Retired, the purpose leaves the app's list; its history stays.
        Assert.True(await choices.RetireAsync("PartnerInsights", supervisor));
        Assert.DoesNotContain((await app.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).EnumerateArray(), p => p.GetProperty("purpose").GetString() == "PartnerInsights");
        await using var db = portal.Factory.CreateDbContext();
        Assert.True(await db.ProcessingChoices.AnyAsync(c => c.Purpose == "PartnerInsights"));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PutAsJsonAsync("/api/v1/me/preferences/PartnerInsights", new { decision = "Allowed" })).StatusCode);
    }
}
