using System.Net.Http.Json;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Hosting;

/// <summary>The headers every response carries, on a public page, a signed-in page and the API.</summary>
public sealed class SecurityHeaderTests(SecurityHeaderTests.Portal portal) : IClassFixture<SecurityHeaderTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Api:PublicDescription"] = "false" });

    [Fact]
    public async Task Pages_carry_a_policy_without_inline_script_and_personal_pages_and_the_api_are_never_cached()
    {
        var anonymous = await portal.Factory.CreateBrowserLikeClient().GetAsync("/Account/Login");
        var csp = anonymous.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline'; img", csp.Split("script-src")[1].Split(';')[0]);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("no-referrer", anonymous.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", anonymous.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("camera=()", anonymous.Headers.GetValues("Permissions-Policy").Single());
        // The page itself has no inline script to allow.
        Assert.DoesNotContain(FormPoster.Parse(await anonymous.Content.ReadAsStringAsync()).QuerySelectorAll("script"), s => !s.HasAttribute("src"));

        var personal = await (await portal.Factory.SignedInClientAsync("subject@demo.local")).GetAsync("/my-data");
        Assert.True(personal.Headers.CacheControl?.NoStore);

        var api = await (await portal.Factory.ApiClientAsync("subject@demo.local")).GetAsync("/api/v1/me/data");
        Assert.True(api.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(api.Headers.Contains("Content-Security-Policy"));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, (await api.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).ValueKind);
    }

    [Fact]
    public async Task The_api_description_is_for_staff_only_outside_development()
    {
        var anonymous = await portal.Factory.CreateBrowserLikeClient().GetAsync("/openapi/v1.json");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, anonymous.StatusCode);
        var subject = await (await portal.Factory.SignedInClientAsync("subject@demo.local")).GetAsync("/openapi/v1.json");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, subject.StatusCode);
        var staff = await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetAsync("/openapi/v1.json");
        Assert.Equal(System.Net.HttpStatusCode.OK, staff.StatusCode);
    }
}
