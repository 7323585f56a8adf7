using System.Net;
using System.Net.Http.Json;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Api;

public sealed class LoginRateLimitTests(LoginRateLimitTests.LimitedPortal portal) : IClassFixture<LoginRateLimitTests.LimitedPortal>
{
    public sealed class LimitedPortal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "3" });

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_within_a_minute_get_429()
    {
        var client = portal.Factory.CreateClient();
        var attempt = new { email = "nobody@example.com", password = "whatever password" };
        for (var i = 0; i < 3; i++)
        {
            var refused = await client.PostAsJsonAsync("/api/v1/auth/login", attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", attempt);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
    }
}
