using DsrPortal.Features.Audit;
using DsrPortal.Features.Reminders;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Reminders;

/// <summary>Requests waiting on their requester, on a frozen clock: reminded on the configured days, closed as "no answer" at the end, and left alone once answered.</summary>
public sealed class RequesterChaseTests(RequesterChaseTests.Portal portal) : IClassFixture<RequesterChaseTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(
        new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false", ["Reminders:WorkerEnabled"] = "false" },
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));

    private FakeTimeProvider Clock => (FakeTimeProvider)portal.Factory.Clock!;

    [Fact]
    public async Task An_unanswered_question_is_reminded_twice_then_the_request_closes_with_notice_while_an_answered_one_goes_on()
    {
        var workflow = portal.Factory.Services.GetRequiredService<RequestWorkflow>();
        var chase = portal.Factory.Services.GetRequiredService<RequesterChase>();
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        var agent = await portal.Factory.ActorAsync("agent@demo.local");

        async Task<Guid> AskedAsync()
        {
            var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
            var claimed = (await workflow.ClaimAsync(request.Id, agent)).Request!;
            Assert.True((await workflow.AskRequesterAsync(request.Id, "Which phone number did you register with?", agent, claimed.Version)).Succeeded);
            return request.Id;
        }

        var silent = await AskedAsync();
        var answered = await AskedAsync();
        async Task<List<string>> TemplatesAsync(Guid id)
        {
            await using var db = portal.Factory.CreateDbContext();
            return await db.OutboxMessages.Where(m => m.RequestId == id).OrderBy(m => m.Id).Select(m => m.Template).ToListAsync();
        }

        Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal((0, 0), await chase.ChaseAsync([7, 14], 30));

        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal((2, 0), await chase.ChaseAsync([7, 14], 30));
        Assert.Equal((0, 0), await chase.ChaseAsync([7, 14], 30));
        Assert.Equal("request-info-reminder", (await TemplatesAsync(silent))[^1]);

        // The requester answers one: the clock runs again and the chase leaves it alone.
        Assert.True((await workflow.PostMessageAsync(answered, "It is 13800000001.", subject)).Succeeded);

        Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal((1, 0), await chase.ChaseAsync([7, 14], 30));

        Clock.Advance(TimeSpan.FromDays(16));
        Assert.Equal((0, 1), await chase.ChaseAsync([7, 14], 30));

        await using var db = portal.Factory.CreateDbContext();
        var closed = await db.Requests.SingleAsync(r => r.Id == silent);
        Assert.Equal((RequestStatus.Refused, RefusalReason.NoAnswer), (closed.Status, closed.RefusalReason));
        Assert.Contains("no answer within 30 days", closed.RefusalExplanation);
        Assert.Equal(["request-info-reminder", "request-info-reminder", "request-refused"], (await TemplatesAsync(silent)).TakeLast(3));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.RequestId == silent && e.Action == AuditActions.RequestRequesterReminded));
        Assert.Equal(RequestStatus.InProgress, (await db.Requests.SingleAsync(r => r.Id == answered)).Status);

        // No agent can pick "no answer" as a reason of their own.
        var other = await AskedAsync();
        await workflow.PostMessageAsync(other, "Here it is.", subject);
        var current = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == other);
        Assert.False((await workflow.RefuseAsync(other, RefusalReason.NoAnswer, "Closing.", agent, current.Version)).Succeeded);
    }

    [Fact]
    public async Task Staff_get_one_digest_a_day_of_what_is_due_within_two_working_days_and_supervisors_hear_once_of_each_overdue_request()
    {
        var workflow = portal.Factory.Services.GetRequiredService<RequestWorkflow>();
        var digests = portal.Factory.Services.GetRequiredService<StaffDigests>();
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        var supervisor = await portal.Factory.ActorAsync("supervisor@demo.local");
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);

        async Task<List<(string Template, string Recipient, string Values)>> MailAsync()
        {
            await using var db = portal.Factory.CreateDbContext();
            return [.. (await db.OutboxMessages.Where(m => m.Template == StaffDigests.DigestTemplate || m.Template == StaffDigests.OverdueTemplate)
                .OrderBy(m => m.Id).Select(m => new { m.Template, m.RecipientUserId, m.Values }).ToListAsync()).Select(m => (m.Template, m.RecipientUserId, m.Values))];
        }

        // Two working days before the due date the request enters the agent's digest, once that day.
        var horizonReached = Clock.GetUtcNow();
        while (digests.HorizonAfter(horizonReached) < request.DueAt)
        {
            horizonReached = horizonReached.AddDays(1);
        }

        Clock.Advance(horizonReached - Clock.GetUtcNow() + TimeSpan.FromHours(10) - TimeSpan.FromHours(portal.Factory.Services.GetRequiredService<DsrPortal.Features.Requests.Deadlines.DeadlineCalculator>().Local(horizonReached).Hour));
        var before = (await MailAsync()).Count(m => m.Template == StaffDigests.DigestTemplate && m.Recipient == agent.UserId);
        Assert.True(await digests.SendDigestsAsync(8) >= 1);
        Assert.Equal(0, await digests.SendDigestsAsync(8));
        var digest = (await MailAsync()).Where(m => m.Template == StaffDigests.DigestTemplate && m.Recipient == agent.UserId).ToList();
        Assert.Equal(before + 1, digest.Count);
        Assert.Contains(request.Reference, digest[^1].Values);
        Assert.DoesNotContain("@demo.local", digest[^1].Values);

        // Past its due date, every supervisor hears of it once; an extension moves the date and they hear again when that passes too.
        Clock.Advance(request.DueAt - Clock.GetUtcNow() + TimeSpan.FromHours(1));
        Assert.True(await digests.AlertOverdueAsync() >= 1);
        Assert.Equal(0, await digests.AlertOverdueAsync());
        var alerts = (await MailAsync()).Where(m => m.Template == StaffDigests.OverdueTemplate && m.Values.Contains($"/queue/{request.Id}")).ToList();
        Assert.Equal([supervisor.UserId], alerts.Select(a => a.Recipient));
    }
}
