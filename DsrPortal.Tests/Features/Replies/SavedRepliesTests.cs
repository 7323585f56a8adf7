using DsrPortal.Features.Replies;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Replies;

public sealed class SavedRepliesTests(SavedRepliesTests.Portal portal) : IClassFixture<SavedRepliesTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    private SavedReplies Replies => portal.Factory.Services.GetRequiredService<SavedReplies>();

    [Fact]
    public async Task A_saved_reply_is_filled_from_the_request_in_its_own_language_and_a_wrong_one_is_refused_saying_why()
    {
        var supervisor = (await portal.Factory.ActorAsync("supervisor@demo.local")).ForAudit;
        Assert.Null(await Replies.SaveAsync(new SavedReplyDraft(null, "收到", "zh-CN",
            "{{RequesterName}}您好：我们已收到您的申请 {{Reference}}（{{RequestType}}），将于 {{DueDate}} 前答复。"), supervisor));

        var wrong = await Replies.SaveAsync(new SavedReplyDraft(null, "Bad", "en", "Dear {{FirstName}}"), supervisor);
        Assert.Equal("{0} is not a placeholder the portal can fill: use one of {1}.", wrong!.Value.Key);
        Assert.Equal("{{FirstName}}", wrong.Value.Arguments[0]);
        Assert.NotNull(await Replies.SaveAsync(new SavedReplyDraft(null, "", "en", "Hello"), supervisor));
        Assert.NotNull(await Replies.SaveAsync(new SavedReplyDraft(null, "Hello", "fr", "Bonjour"), supervisor));
        Assert.NotNull(await Replies.SaveAsync(new SavedReplyDraft(9999, "Gone", "en", "Hello"), supervisor));

        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        var request = (await portal.Factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "session")).Request!;
        var reply = (await Replies.ListAsync()).Single(r => r.Title == "收到");
        var text = Replies.Fill(reply, request, "Lin");
        string ChineseType;
        using (DsrPortal.Localization.PortalCultures.Use("zh-CN"))
        {
            ChineseType = portal.Factory.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<DsrPortal.Localization.SharedResource>>()[RequestLabels.Type(RequestType.Export)].Value;
        }

        Assert.NotEqual(RequestLabels.Type(RequestType.Export), ChineseType);
        Assert.Equal($"Lin您好：我们已收到您的申请 {request.Reference}（{ChineseType}），将于 {request.DueAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd} 前答复。", text);

        // Changed and deleted by supervisors, audited with codes only.
        Assert.Null(await Replies.SaveAsync(new SavedReplyDraft(reply.Id, "收到", "zh-CN", "您好，{{RequesterName}}"), supervisor));
        Assert.Equal("您好，Lin", Replies.Fill((await Replies.ListAsync()).Single(r => r.Id == reply.Id), request, "Lin"));
        Assert.True(await Replies.DeleteAsync(reply.Id, supervisor));
        Assert.Empty(await Replies.ListAsync());
        await using var db = portal.Factory.CreateDbContext();
        var audited = await db.AuditEvents.Where(e => e.Action.StartsWith("saved-reply.")).Select(e => e.Details).ToListAsync();
        Assert.Equal(3, audited.Count);
        Assert.DoesNotContain(audited, d => d.Contains("您好"));
    }
}
