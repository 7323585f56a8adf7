using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Audit;

/// <summary>The audit page's reading of the trail: by reference, by who, by day; requests by reference and staff by name.</summary>
public sealed class AuditLogTests(AuditLogTests.Portal portal) : IClassFixture<AuditLogTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Fact]
    public async Task A_supervisor_finds_a_requests_events_by_its_reference_with_the_agent_named_and_details_readable()
    {
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        var workflow = portal.Factory.Services.GetRequiredService<RequestWorkflow>();
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!;
        await workflow.ClaimAsync(request.Id, agent);
        var log = portal.Factory.Services.GetRequiredService<AuditLog>();

        var page = await log.PageAsync(new AuditFilter(Request: request.Reference), 0, 25);

        Assert.True(page.Total >= 2);
        Assert.All(page.Rows, r => Assert.Equal(request.Reference, r.Reference));
        var claimed = Assert.Single(page.Rows, r => r.Action == AuditActions.RequestClaimed);
        Assert.Equal("agent@demo.local", claimed.Actor);
        Assert.Equal(page.Rows.Select(r => r.Sequence).OrderDescending(), page.Rows.Select(r => r.Sequence));
        var moved = page.Rows.First(r => r.Action == AuditActions.RequestStatusChanged);
        Assert.Contains(moved.Details, d => d.Key == "to" && d.Value.Length > 0);

        // The same by id; by who; and nothing for a reference that does not exist or a day before it all.
        Assert.Equal(page.Total, (await log.PageAsync(new AuditFilter(Request: request.Id.ToString()), 0, 25)).Total);
        var byAgent = await log.PageAsync(new AuditFilter(ActorId: agent.UserId), 0, 100);
        Assert.Contains(byAgent.Rows, r => r.Action == AuditActions.RequestClaimed && r.RequestId == request.Id);
        Assert.All(byAgent.Rows, r => Assert.Equal("agent@demo.local", r.Actor));
        Assert.Empty((await log.PageAsync(new AuditFilter(Request: "DSR-2026-999999"), 0, 25)).Rows);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Empty((await log.PageAsync(new AuditFilter(Request: request.Reference, To: today.AddDays(-3)), 0, 25)).Rows);
        Assert.Equal(page.Total, (await log.PageAsync(new AuditFilter(Request: request.Reference, From: today.AddDays(-1), To: today.AddDays(1)), 0, 25)).Total);
    }

    [Fact]
    public void Details_read_as_pairs_and_text_that_is_not_an_object_stays_whole()
    {
        Assert.Equal([new("from", "Open"), new("to", "InProgress")], AuditLog.Pairs("""{"from":"Open","to":"InProgress"}"""));
        Assert.Equal([new("count", "3"), new("none", "")], AuditLog.Pairs("""{"count":3,"none":null}"""));
        Assert.Equal([new("", "not json")], AuditLog.Pairs("not json"));
    }
}
