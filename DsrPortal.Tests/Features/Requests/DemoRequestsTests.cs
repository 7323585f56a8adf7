using DsrPortal.Features.Audit;
using DsrPortal.Features.Demo;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>What `dotnet run` shows a first-time visitor in the queue.</summary>
public sealed class DemoRequestsTests(DemoRequestsTests.Portal portal) : IClassFixture<DemoRequestsTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?>
    {
        ["DemoData:SampleRequests"] = "true",
        ["Outbox:WorkerEnabled"] = "false",
    });

    [Fact]
    public async Task The_demo_queue_has_an_overdue_a_waiting_a_completed_and_a_new_request_with_an_intact_trail()
    {
        await using var db = portal.Factory.CreateDbContext();
        var requests = await db.Requests.AsNoTracking().ToListAsync();
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(4, requests.Count);
        Assert.Single(requests, r => r.Type == RequestType.Correction && r.IsOverdue(now));
        Assert.Single(requests, r => r.Status == RequestStatus.AwaitingRequester);
        Assert.Single(requests, r => r.Status == RequestStatus.Completed);
        Assert.Single(requests, r => r.Type == RequestType.Dispute && r.Status == RequestStatus.Open);
        Assert.True((await portal.Factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task Seeding_again_adds_nothing()
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();

        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync();

        await using var db = portal.Factory.CreateDbContext();
        Assert.Equal(4, await db.Requests.CountAsync());
    }
}
