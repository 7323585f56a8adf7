using System.Net;
using System.Net.Http.Json;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Api;

/// <summary>Behind a reverse proxy on the same host, each client is rate-limited on its own address, not the proxy's.</summary>
public sealed class ReverseProxyTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new(new Dictionary<string, string?>
    {
        ["Api:LoginAttemptsPerMinute"] = "2",
        ["ReverseProxy:Enabled"] = "true",
    });

    private Uri address = null!;

    public Task InitializeAsync()
    {
        address = factory.StartOnKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_login_limit_counts_the_forwarded_client_address()
    {
        using var http = new HttpClient { BaseAddress = address };
        async Task<HttpStatusCode> AttemptAsync(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = JsonContent.Create(new { email = "nobody@example.com", password = "whatever password" }),
            };
            request.Headers.Add("X-Forwarded-For", client);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await AttemptAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AttemptAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AttemptAsync("203.0.113.1"));
        // Another client behind the same proxy is not locked out by the first.
        Assert.Equal(HttpStatusCode.Unauthorized, await AttemptAsync("203.0.113.2"));
    }
}
