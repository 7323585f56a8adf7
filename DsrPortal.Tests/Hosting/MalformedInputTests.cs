using System.Net;
using System.Net.Http.Json;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DsrPortal.Tests.Hosting;

/// <summary>
/// Malformed links and parameters, as a stranger or a broken mail client would send them: every one gets a
/// clear page, a redirect or a 4xx, never a 5xx, and nothing is logged at error level.
/// </summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private readonly CapturedLog errors = new(LogLevel.Error);
    private readonly PortalFactory factory;

    public MalformedInputTests() =>
        factory = new PortalFactory(configureServices: services => services.AddSingleton<ILoggerProvider>(errors));

    public Task InitializeAsync()
    {
        _ = factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static readonly string[] Anonymous =
    [
        "/Account/ConfirmEmail?userId=nobody&code=%25%25%25",
        "/Account/ConfirmEmail?userId=&code=",
        "/Account/ConfirmEmail",
        "/Account/ConfirmEmailChange?userId=x&email=not-an-email&code=!!",
        "/Account/ResetPassword?code=!!!not-base64",
        "/Account/ResetPassword",
        "/Account/Login?ReturnUrl=https%3A%2F%2Fevil.example%2F",
        "/Account/Login?ReturnUrl=%2F%2Fevil.example",
        "/Account/Login?ReturnUrl=%00%01",
        "/Account/LoginWith2fa?rememberMe=maybe",
        "/Account/LoginWithRecoveryCode?ReturnUrl=javascript:alert(1)",
        "/Account/RegisterConfirmation?email=%00",
        "/Account/ConfirmPhone?ticket=garbage",
        "/Account/ConfirmPhone?ticket=&emailFailed=%FF",
        "/make-a-request?expired=%3Cscript%3E",
        "/follow/garbage",
        "/follow/" + new string('A', 5000),
        "/agent-consent/garbage",
        "/culture/set?culture=xx-XX&redirectUri=https%3A%2F%2Fevil.example",
        "/culture/set?culture=zh-CN&redirectUri=%00",
        "/culture/set",
        "/requests/not-a-guid",
        "/api/v1/requests/not-a-guid",
        "/api/v1/requests?for=%00",
        "/api/v1/intake/code",
        "/does-not-exist?page=abc",
    ];

    private static readonly string[] Subject =
    [
        "/requests?for=%00&page=abc",
        "/my-data?for=nobody",
        "/requests/new?for=nobody",
        "/requests/00000000-0000-0000-0000-000000000000",
        "/requests/00000000-0000-0000-0000-000000000000/export",
        "/requests/00000000-0000-0000-0000-000000000000/evidence/abc",
        "/requests/00000000-0000-0000-0000-000000000000/evidence/-1",
        "/Account/Manage/Sessions?x=%00",
    ];

    private static readonly string[] Staff =
    [
        "/queue?page=abc&status=Nonsense&type=%00&due=yesterday&assignee=nobody&escalated=maybe",
        "/queue?escalated=maybe",
        "/queue/not-a-guid",
        "/queue/00000000-0000-0000-0000-000000000000",
        "/queue/00000000-0000-0000-0000-000000000000/agent-permission",
        "/queue/new?type=%00",
        "/audit?page=abc&from=notadate&to=%00",
        "/reports?year=abc",
        "/reports/yearly?year=-1",
    ];

    [Fact]
    public async Task No_malformed_link_or_parameter_gets_a_server_error_or_an_error_log()
    {
        var failures = new List<string>();
        await WalkAsync(factory.CreateBrowserLikeClient(), Anonymous, failures);
        await WalkAsync(await factory.SignedInClientAsync("subject@demo.local"), Subject, failures);
        await WalkAsync(await factory.SignedInClientAsync("supervisor@demo.local"), Staff, failures);

        Assert.Empty(failures);
        Assert.Empty(errors.Entries);
    }

    [Fact]
    public async Task Off_site_return_addresses_are_never_followed()
    {
        var browser = factory.CreateBrowserLikeClient();

        var fields = PortalForms.Login("subject@demo.local", PortalForms.DemoPassword);
        var signedIn = await browser.PostFormAsync("/Account/Login?ReturnUrl=https%3A%2F%2Fevil.example%2F", fields, "login");
        Assert.DoesNotContain("evil.example", signedIn.Headers.Location?.ToString() ?? "");
    }

    [Fact]
    public async Task Control_characters_are_refused_and_invisible_only_text_counts_as_empty()
    {
        var api = await factory.ApiClientAsync("subject@demo.local");
        var nul = await api.PostAsJsonAsync("/api/v1/requests", new { type = "Export", details = new { description = "my data\u0000please" } });
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Contains("control characters", await nul.Content.ReadAsStringAsync());

        var invisible = await api.PostAsJsonAsync("/api/v1/requests", new { type = "Dispute", details = new { disputeSubject = "Advertising", description = "\u200B\u200B \uFEFF" } });
        Assert.Equal(HttpStatusCode.BadRequest, invisible.StatusCode);
        Assert.Contains("Describe the dispute", await invisible.Content.ReadAsStringAsync());

        var created = await api.PostAsJsonAsync("/api/v1/requests", new { type = "Correction", details = new { correctionField = "Nickname", correctionProposedValue = "Line one\nline two" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        var blank = await api.PostAsJsonAsync($"/api/v1/requests/{id}/messages", new { body = "\u200B" });
        Assert.False(blank.IsSuccessStatusCode);
        Assert.Contains("Write a message first", await blank.Content.ReadAsStringAsync());
        var bell = await api.PostAsJsonAsync($"/api/v1/requests/{id}/messages", new { body = "hello\u0007" });
        Assert.False(bell.IsSuccessStatusCode);
        Assert.Contains("control characters", await bell.Content.ReadAsStringAsync());
    }

    private static async Task WalkAsync(HttpClient client, IEnumerable<string> paths, List<string> failures)
    {
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode} {path}");
            }
        }
    }
}
