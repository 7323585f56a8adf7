using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>The request pages as served: who sees what, by guessing ids or not.</summary>
public sealed class RequestPagesTests(RequestPagesTests.Portal portal) : IClassFixture<RequestPagesTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    private async Task<DataSubjectRequest> SubmitForSubjectAsync()
    {
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        return (await portal.Factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "session")).Request!;
    }

    [Fact]
    public async Task The_owner_sees_the_request_and_another_subject_gets_not_found_even_with_the_id()
    {
        var request = await SubmitForSubjectAsync();
        var reference = (await portal.Factory.CreateDbContext().Requests.FindAsync(request.Number))!.Reference;

        var owner = await (await portal.Factory.SignedInClientAsync("subject@demo.local")).GetStringAsync($"/requests/{request.Id}");
        var strangerResponse = await (await portal.Factory.SignedInClientAsync("guardian@demo.local")).GetAsync($"/requests/{request.Id}");
        var stranger = await strangerResponse.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, strangerResponse.StatusCode);
        Assert.Contains(reference, owner);
        Assert.DoesNotContain(reference, stranger);
        Assert.DoesNotContain(reference, await (await portal.Factory.SignedInClientAsync("guardian@demo.local")).GetStringAsync("/requests"));
    }

    [Fact]
    public async Task A_second_request_of_the_same_kind_is_flagged_to_the_agent_with_a_link_to_the_first()
    {
        var first = await SubmitForSubjectAsync();
        var second = await SubmitForSubjectAsync();
        var agent = await portal.Factory.SignedInClientAsync("agent@demo.local");

        var page = FormPoster.Parse(await agent.GetStringAsync($"/queue/{second.Id}"));

        var links = page.QuerySelectorAll("[data-testid=duplicate-link]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"queue/{first.Id}", links);
        Assert.DoesNotContain($"queue/{second.Id}", links);
    }

    [Fact]
    public async Task An_agent_sees_the_requester_masked_until_revealing()
    {
        var request = await SubmitForSubjectAsync();

        var page = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetStringAsync($"/queue/{request.Id}"));

        Assert.Equal("s***@demo.local", page.QuerySelector("[data-testid=requester-email]")!.TextContent);
        Assert.Equal("138****0001", page.QuerySelector("[data-testid=requester-phone]")!.TextContent);
        Assert.DoesNotContain("13800000001", page.Body!.TextContent);
    }
}
