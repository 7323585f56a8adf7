using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class BulkQueueJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_agent_approves_twenty_requests_at_once_and_sees_the_two_that_could_not_move_and_why()
    {
        var workflow = fixture.Portal.Services.GetRequiredService<RequestWorkflow>();
        var subject = await fixture.Portal.ActorAsync((await fixture.Portal.CreateSubjectAsync("wave@example.com")).Email!);
        var agent = await fixture.Portal.CreateStaffAsync("wave.agent@demo.local");
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
            Assert.True((await workflow.ClaimAsync(request.Id, agent)).Succeeded);
            ids.Add(request.Id);
        }

        // Two wait for their requester's answer: an approval cannot move them.
        var waiting = ids.Take(2).ToList();
        foreach (var id in waiting)
        {
            Assert.True((await workflow.AskRequesterAsync(id, "Which email did you register with?", agent, null)).Succeeded);
        }

        var page = await fixture.SignedInPageAsync("wave.agent@demo.local", "queue?assignee=Me");
        await Assertions.Expect(page.GetByTestId("queue-reference")).ToHaveCountAsync(20);
        await page.GetByTestId("queue-select-page").CheckAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("20 requests chosen");
        await page.GetByTestId("bulk-action").SelectOptionAsync("Approve");
        await page.GetByTestId("bulk-apply").ClickAsync();

        await Assertions.Expect(page.GetByTestId("bulk-summary")).ToHaveTextAsync("18 moved; 2 could not move.");
        var refused = page.GetByTestId("bulk-not-moved");
        await Assertions.Expect(refused).ToHaveCountAsync(2);
        foreach (var id in waiting)
        {
            await Assertions.Expect(page.Locator($"[data-testid=bulk-not-moved][data-request='{id}']")).ToContainTextAsync("Only a request in progress can be approved.");
        }

        // The two stay chosen for a second look; no row of the queue is still waiting for an approval.
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("2 requests chosen");
        await Assertions.Expect(page.Locator("[data-testid=queue-grid] [data-status=InProgress]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=queue-grid] [data-status=AwaitingRequester]")).ToHaveCountAsync(2);

        // The bar, its outcome and the chosen rows pass axe like the rest of the queue.
        Assert.Empty(await page.ViolationsAsync());

        await using var db = fixture.Portal.CreateDbContext();
        var statuses = await db.Requests.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Status);
        Assert.All(waiting, id => Assert.Equal(RequestStatus.AwaitingRequester, statuses[id]));
        // Approved and handed to fulfilment (the portal's worker may already have finished the export).
        Assert.All(ids.Skip(2), id => Assert.Contains(statuses[id], new[] { RequestStatus.Fulfilling, RequestStatus.Completed }));
        // Each moved request has its own audit trail of the approval, as if approved by hand.
        var approvals = await db.AuditEvents.Where(e => ids.Contains(e.RequestId!.Value) && e.Action == AuditActions.FulfilmentScheduled)
            .GroupBy(e => e.RequestId).CountAsync();
        Assert.Equal(18, approvals);
    }
}
