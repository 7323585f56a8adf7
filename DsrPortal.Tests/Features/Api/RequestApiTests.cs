using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Api;

/// <summary>The REST API as the mobile app's developer meets it: plain HTTP, JSON, a bearer token, no cookies.</summary>
public sealed class RequestApiTests(RequestApiTests.Portal portal) : IClassFixture<RequestApiTests.Portal>
{
    // Every test here signs in from the same (test server) address: lift the per-minute cap so they do not
    // run into it. LoginRateLimitTests checks the cap itself.
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000" });

    private const string Subject = "subject@demo.local";
    private const string OtherSubject = "guardian@demo.local";

    [Fact]
    public async Task Signing_in_returns_a_bearer_token()
    {
        var response = await portal.Factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = Subject, password = PortalForms.DemoPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refreshToken").GetString()));
        Assert.True(token.GetProperty("expiresIn").GetInt64() > 0, "expiresIn should be a positive number of seconds.");
    }

    [Fact]
    public async Task A_wrong_password_gets_401_with_a_readable_problem()
    {
        // Not the account the other tests use: failed attempts count towards its lockout.
        var response = await portal.Factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = "minor@demo.local", password = "not the password at all" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The email or password is not correct.", await DetailAsync(response));
    }

    [Fact]
    public async Task Staff_accounts_cannot_sign_in_to_the_api()
    {
        var response = await portal.Factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = "agent@demo.local", password = PortalForms.DemoPassword });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("The API is for data subjects.", await DetailAsync(response));
    }

    [Fact]
    public async Task An_anonymous_call_gets_401_not_a_redirect_to_the_sign_in_page()
    {
        var client = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/v1/requests");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_new_export_request_is_created_listed_and_readable()
    {
        var client = await portal.Factory.ApiClientAsync(Subject);

        var response = await client.PostAsJsonAsync("/api/v1/requests", new { type = "export" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/requests/{id}", response.Headers.Location?.OriginalString);
        Assert.Matches(@"^DSR-\d{4}-\d{6}$", created.GetProperty("reference").GetString());
        // An export waits for a fresh code before it opens (verification that fits the risk).
        Assert.Equal("AwaitingVerification", created.GetProperty("status").GetString());
        Assert.True(created.GetProperty("dueAt").GetDateTimeOffset() > created.GetProperty("receivedAt").GetDateTimeOffset(), "The due date should follow receipt.");

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/requests");
        Assert.Contains(id, list.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));

        var request = await client.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal(created.GetProperty("reference").GetString(), request.GetProperty("reference").GetString());
        Assert.Equal("Export", request.GetProperty("type").GetString());
        Assert.Equal("Api", request.GetProperty("channel").GetString());
        Assert.False(string.IsNullOrEmpty(request.GetProperty("nextStep").GetString()));
    }

    [Fact]
    public async Task An_overdue_request_apologises_in_the_app_instead_of_promising_soon()
    {
        var client = await portal.Factory.ApiClientAsync(OtherSubject);
        var response = await client.PostAsJsonAsync("/api/v1/requests",
            new { type = "Correction", details = new { correctionField = "Nickname", correctionCurrentValue = "Chen", correctionProposedValue = "Chen Wei", description = "I use my full name now." } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Contains("soon", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}")).GetProperty("nextStep").GetString());

        // Nobody picked it up in time: its due date passes.
        await using (var db = portal.Factory.CreateDbContext())
        {
            await db.Requests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, DateTimeOffset.UtcNow.AddDays(-1)));
        }

        var request = await client.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        var nextStep = request.GetProperty("nextStep").GetString();
        Assert.Contains("sorry", nextStep);
        Assert.DoesNotContain("soon", nextStep);
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/v1/requests")).EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == id);
        Assert.Equal(nextStep, listed.GetProperty("nextStep").GetString());
    }

    [Fact]
    public async Task Every_request_type_can_be_submitted_from_the_app()
    {
        var client = await portal.Factory.ApiClientAsync(Subject);
        var earlier = await SubmitExportAsync(client);
        object[] bodies =
        [
            new { type = "Deletion", scope = new { deletion = "SelectedCategories", categories = new[] { "Photos", "Comments" } } },
            new { type = "Deletion", scope = new { deletion = "WholeAccount" } },
            new { type = "Correction", details = new { correctionField = "Nickname", correctionCurrentValue = "Lin", correctionProposedValue = "Lin Xiaohong", description = "I changed it in the app last week." } },
            new { type = "Dispute", details = new { disputeSubject = "EarlierRequest", relatedRequestId = earlier, description = "My export was missing the reading records." } },
            new { type = "Dispute", details = new { disputeSubject = "Advertising", description = "Stop using my reading records for ads." } },
        ];

        foreach (var body in bodies)
        {
            var response = await client.PostAsJsonAsync("/api/v1/requests", body);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{System.Text.Json.JsonSerializer.Serialize(body)} -> {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var saved = await client.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
            // Deletions wait for a fresh code; the rest open on the session's proven identifiers.
            var expected = saved.GetProperty("type").GetString() == "Deletion" ? "AwaitingVerification" : "Open";
            Assert.Equal(expected, saved.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_deletion_of_selected_categories_without_any_category_is_refused_with_the_reason()
    {
        var client = await portal.Factory.ApiClientAsync(Subject);

        var response = await client.PostAsJsonAsync("/api/v1/requests", new { type = "Deletion", scope = new { deletion = "SelectedCategories" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Choose at least one category of data to delete.", await DetailAsync(response));
    }

    [Fact]
    public async Task An_unknown_request_type_is_named_in_the_validation_errors()
    {
        var client = await portal.Factory.ApiClientAsync(Subject);

        var response = await client.PostAsJsonAsync("/api/v1/requests", new { type = "Teleport" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = problem.GetProperty("errors").GetProperty("type").EnumerateArray().Select(m => m.GetString());
        Assert.Contains("Unknown request type 'Teleport'. Use Export, Deletion, Correction or Dispute.", messages);
    }

    [Fact]
    public async Task Another_subject_cannot_read_withdraw_or_write_on_someone_elses_request()
    {
        var owner = await portal.Factory.ApiClientAsync(Subject);
        var id = await SubmitExportAsync(owner);
        var other = await portal.Factory.ApiClientAsync(OtherSubject);

        var read = await other.GetAsync($"/api/v1/requests/{id}");
        var withdraw = await other.PostAsync($"/api/v1/requests/{id}/withdraw", null);
        var thread = await other.GetAsync($"/api/v1/requests/{id}/messages");
        var write = await other.PostAsJsonAsync($"/api/v1/requests/{id}/messages", new { body = "Let me in." });

        Assert.All(new[] { read, withdraw, thread, write }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("This request does not exist, or it is not yours.", await DetailAsync(read));
        // Untouched by the stranger: still waiting for its owner to confirm it, not withdrawn.
        var mine = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("AwaitingVerification", mine.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_subject_writes_on_the_thread_and_reads_it_back()
    {
        var client = await portal.Factory.ApiClientAsync(Subject);
        var id = await SubmitExportAsync(client);

        var posted = await client.PostAsJsonAsync($"/api/v1/requests/{id}/messages", new { body = "When will you answer?" });

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var thread = await client.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}/messages");
        var message = Assert.Single(thread.EnumerateArray());
        Assert.Equal("When will you answer?", message.GetProperty("body").GetString());
        Assert.Equal("Subject", message.GetProperty("authorRole").GetString());

        var empty = await client.PostAsJsonAsync($"/api/v1/requests/{id}/messages", new { body = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), "The validation errors should name the body field.");
    }

    [Fact]
    public async Task Withdrawing_closes_the_request_and_withdrawing_again_is_a_conflict()
    {
        var client = await portal.Factory.ApiClientAsync(Subject);
        var id = await SubmitExportAsync(client);

        var first = await client.PostAsync($"/api/v1/requests/{id}/withdraw", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var request = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Withdrawn", request.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, request.GetProperty("closedAt").ValueKind);

        var second = await client.PostAsync($"/api/v1/requests/{id}/withdraw", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("This request is already closed.", await DetailAsync(second));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await portal.Factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.Contains("/api/v1/requests", paths);
        Assert.Contains("/api/v1/requests/{id}/withdraw", paths);
        Assert.Contains("/api/v1/requests/{id}/messages", paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/", StringComparison.Ordinal));
    }

    private static async Task<Guid> SubmitExportAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/requests", new { type = "Export" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
}
