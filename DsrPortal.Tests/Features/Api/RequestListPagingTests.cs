using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Api;

/// <summary>The app pages through a long list by following the Link header; nothing repeats or goes missing while requests keep arriving.</summary>
public sealed class RequestListPagingTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public Task InitializeAsync()
    {
        _ = factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Following_the_next_links_lists_every_request_once_newest_first_even_when_new_ones_arrive_meanwhile()
    {
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await factory.ActorAsync("subject@demo.local");
        var other = await factory.ActorAsync("guardian@demo.local");
        var mine = new List<Guid>();
        for (var i = 0; i < 120; i++)
        {
            mine.Add((await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id);
            if (i % 10 == 0)
            {
                await workflow.SubmitAsync(other.Export(), other, "session");
            }
        }

        var client = await factory.ApiClientAsync("subject@demo.local");
        var seen = new List<Guid>();
        var next = "/api/v1/requests";
        var pages = 0;
        while (next is not null)
        {
            var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.InRange(page.GetArrayLength(), 1, 50);
            seen.AddRange(page.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
            next = response.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split(';')[0].Trim('<', '>', ' ')
                : null;
            if (++pages == 1)
            {
                // A request made while the app pages: with offsets, the next page would repeat one it already showed.
                await workflow.SubmitAsync(subject.Export(), subject, "session");
            }
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(mine), seen);
    }

    [Theory]
    [InlineData("?after=not-a-cursor")]
    [InlineData("?after=bjA")]
    [InlineData("?after=bjE&page=1")]
    public async Task A_forged_or_mixed_cursor_is_refused_with_a_reason(string query)
    {
        var client = await factory.ApiClientAsync("subject@demo.local");

        var response = await client.GetAsync("/api/v1/requests" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEmpty(problem.GetProperty("errors").GetProperty("after").EnumerateArray().Single().GetString()!);
    }
}
