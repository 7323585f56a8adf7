using DsrPortal.Features.Reminders;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>On a portal of its own with a frozen clock: a requester who does not answer sees the reminder, then the request closed as "no answer".</summary>
[Collection(SecondBrowserCollection.Name)]
public sealed class RequesterChaseJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_question_left_unanswered_is_reminded_then_the_request_closes_and_the_requester_sees_why()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);
        var address = portal.StartOnKestrel();
        var workflow = portal.Services.GetRequiredService<RequestWorkflow>();
        var chase = portal.Services.GetRequiredService<RequesterChase>();
        var subject = await portal.ActorAsync("subject@demo.local");
        var agent = await portal.ActorAsync("agent@demo.local");
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await workflow.AskRequesterAsync(request.Id, "Which phone number did you register with?", agent, null)).Succeeded);

        var page = await fixture.NewPageAsync(baseAddress: address);
        await page.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await page.GotoAsync($"requests/{request.Id}");
        var closes = clock.GetUtcNow().AddDays(30).ToOffset(TimeSpan.FromHours(8)).ToString("M/d/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.GetByTestId("chase")).ToHaveTextAsync($"Without your answer by {closes}, we will close this request.");

        // A week without an answer: one reminder, and the page says so.
        clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal((1, 0), await chase.ChaseAsync([7, 14], 30));
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("chase")).ToContainTextAsync("Reminders sent: 1.");

        // Nothing until the period ends (a chaser that slept past day 14 sends no late reminder): the request closes as
        // "no answer", with the reason the requester reads.
        clock.Advance(TimeSpan.FromDays(23));
        Assert.Equal((0, 1), await chase.ChaseAsync([7, 14], 30));
        // A month on, the open tab's own session check may send it to sign-in at any moment: the requester comes back
        // in a new tab of the same browser instead, so that navigation cannot interrupt this one.
        var stale = page;
        page = await stale.Context.NewPageAsync();
        await stale.CloseAsync();
        await page.GotoAsync($"requests/{request.Id}");
        if (page.Url.Contains("Account/Login", StringComparison.Ordinal))
        {
            await page.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
            await page.GotoAsync($"requests/{request.Id}");
        }

        await Assertions.Expect(page.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Refused");
        await Assertions.Expect(page.GetByTestId("refusal-reason")).ToHaveTextAsync("You did not answer our question in time");
        await Assertions.Expect(page.GetByTestId("chase")).ToHaveCountAsync(0);
        await using var db = portal.CreateDbContext();
        Assert.Equal(["request-info-needed", "request-info-reminder", "request-refused"],
            (await db.OutboxMessages.Where(m => m.RequestId == request.Id).OrderBy(m => m.Id).Select(m => m.Template).ToListAsync())
                .Where(t => t.StartsWith("request-info", StringComparison.Ordinal) || t == "request-refused"));
        await page.Context.CloseAsync();
    }
}
