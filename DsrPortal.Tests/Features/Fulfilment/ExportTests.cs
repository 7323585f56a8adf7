using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>An export from approval to download and expiry, on the demo service database and a frozen clock.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private static readonly string[] ServiceTables =
        ["users", "devices", "dynamics", "photos", "comments", "likes", "search_records", "reading_records", "interaction_records", "sharing_records"];

    private static readonly Dictionary<string, string> CategoryOf = new()
    {
        ["users"] = "Profile", ["devices"] = "Devices", ["dynamics"] = "Dynamics", ["photos"] = "Photos", ["comments"] = "Comments",
        ["likes"] = "Likes", ["search_records"] = "SearchRecords", ["reading_records"] = "ReadingRecords",
        ["interaction_records"] = "InteractionRecords", ["sharing_records"] = "SharingRecords",
    };

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    public ExportTests() =>
        factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    private FulfilmentRunner Runner => factory.Services.GetRequiredService<FulfilmentRunner>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_job_whose_runner_died_is_taken_over_as_an_attempt_and_one_that_keeps_killing_its_runner_stops()
    {
        var id = await ApprovedExportAsync();
        // As if the process running it was killed: still marked Running, its lease expired.
        await using (var db = factory.CreateDbContext())
        {
            var past = clock.GetUtcNow().AddMinutes(-2);
            await db.FulfilmentJobs.Where(j => j.RequestId == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, FulfilmentState.Running).SetProperty(j => j.LeaseOwner, "dead-runner").SetProperty(j => j.LeaseUntil, past));
        }

        Assert.Equal(1, await Runner.RunDueAsync());
        await using (var db = factory.CreateDbContext())
        {
            var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id);
            Assert.Equal(1, job.Attempts);
            Assert.Equal(FulfilmentState.Completed, job.State);
        }

        var doomed = await ApprovedExportAsync();
        await using (var db = factory.CreateDbContext())
        {
            var past = clock.GetUtcNow().AddMinutes(-2);
            await db.FulfilmentJobs.Where(j => j.RequestId == doomed).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, FulfilmentState.Running).SetProperty(j => j.Attempts, 4)
                .SetProperty(j => j.LeaseOwner, "dead-runner").SetProperty(j => j.LeaseUntil, past));
        }

        await Runner.RunDueAsync();
        await using (var db = factory.CreateDbContext())
        {
            var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == doomed);
            Assert.Equal(FulfilmentState.Failed, job.State);
            Assert.Equal("ProcessEnded", job.LastError);
            Assert.Contains("ProcessEnded", (await db.AuditEvents.SingleAsync(e => e.RequestId == doomed && e.Action == AuditActions.FulfilmentFailed)).Details);
        }
    }

    [Fact]
    public async Task An_approved_export_holds_exactly_the_subjects_rows_with_matching_hashes_and_only_the_requester_can_download_it()
    {
        var id = await ApprovedExportAsync();

        Assert.Equal(1, await Runner.RunDueAsync());

        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(RequestStatus.Completed, (await db.Requests.SingleAsync(r => r.Id == id)).Status);
            Assert.Contains(await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync(), t => t == "request-completed");
        }

        var web = await factory.SignedInClientAsync("subject@demo.local");
        var response = await web.GetAsync($"/requests/{id}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));

        // Every file is listed in the manifest, and its SHA-256 is the one written there.
        var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
        Assert.Equal(1, manifest.GetProperty("schemaVersion").GetInt32());
        var listed = manifest.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("sha256").GetString());
        Assert.Equal(zip.Entries.Select(e => e.FullName).Where(n => n != "manifest.json").Order(), listed.Keys.Order());
        foreach (var entry in zip.Entries.Where(e => e.FullName != "manifest.json"))
        {
            await using var stream = entry.Open();
            Assert.Equal(listed[entry.FullName], Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        }

        // The service database: exactly the subject's rows, in JSON and in CSV, and nobody else's.
        var serviceId = factory.UserId(ServiceDb.SubjectPhone);
        foreach (var table in ServiceTables)
        {
            var key = table == "users" ? "id" : "user_id";
            var expected = factory.Rows($"SELECT * FROM {table} WHERE {key} = @v ORDER BY id", serviceId).Select(Normalise).ToList();
            var json = JsonDocument.Parse(zip.GetEntry($"data/{CategoryOf[table]}.json")!.Open()).RootElement.EnumerateArray().Select(Normalise).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, json);
            var csv = await new StreamReader(zip.GetEntry($"data/{CategoryOf[table]}.csv")!.Open()).ReadToEndAsync();
            Assert.Equal(expected.Count + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.StartsWith("\uFEFF" + string.Join(",", expected[0].Keys), csv);
            Assert.Equal(expected.Count, manifest.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == CategoryOf[table]).GetProperty("records").GetInt64());
        }

        var photos = factory.Rows("SELECT file_name FROM photos WHERE user_id = @v", serviceId).Select(r => $"media/Photos/{r["file_name"]}").Order();
        Assert.Equal(photos, zip.Entries.Where(e => e.FullName.StartsWith("media/", StringComparison.Ordinal)).Select(e => e.FullName).Order());

        // The portal's own data: the account, the policy agreement, and this very request.
        var account = JsonDocument.Parse(zip.GetEntry("data/PortalAccount.json")!.Open()).RootElement.EnumerateArray().Single();
        Assert.Equal("subject@demo.local", account.GetProperty("email").GetString());
        Assert.Equal(ServiceDb.SubjectPhone, account.GetProperty("mobile_phone").GetString());
        var consent = JsonDocument.Parse(zip.GetEntry("data/Consents.json")!.Open()).RootElement.EnumerateArray().Single();
        Assert.Equal("1", consent.GetProperty("policy_version").GetString());
        Assert.Equal("Agreed", consent.GetProperty("decision").GetString());
        var requests = JsonDocument.Parse(zip.GetEntry("data/Requests.json")!.Open()).RootElement.EnumerateArray().ToList();
        Assert.Contains(requests, r => r.GetProperty("type").GetString() == "Export");

        var cover = await new StreamReader(zip.GetEntry("index.html")!.Open()).ReadToEndAsync();
        Assert.Contains("Reading records and visit times", cover);
        Assert.Contains("How to read the files", cover);

        // Nobody else gets it: not another subject on the web, not through the API.
        var neighbour = await factory.SignedInClientAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/requests/{id}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.ApiClientAsync("guardian@demo.local")).GetAsync($"/api/v1/requests/{id}/export")).StatusCode);
        var api = await (await factory.ApiClientAsync("subject@demo.local")).GetAsync($"/api/v1/requests/{id}/export");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(response.Content.Headers.ContentLength, api.Content.Headers.ContentLength);

        await using var audit = factory.CreateDbContext();
        Assert.Equal(2, await audit.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.ExportDownloaded));
        Assert.Equal(1, await audit.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.ExportReady));
    }

    [Fact]
    public async Task After_the_download_period_the_package_is_deleted_and_the_link_says_so()
    {
        var id = await ApprovedExportAsync();
        await Runner.RunDueAsync();
        var package = Assert.Single(Directory.GetFiles(Path.Combine(factory.Folder, "exports")));
        var web = await factory.SignedInClientAsync("subject@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/requests/{id}/export")).StatusCode);

        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await Runner.RunDueAsync();

        Assert.False(File.Exists(package));
        var expired = await web.GetAsync($"/requests/{id}/export");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal($"/requests/{id}", expired.RedirectPath());
        var page = FormPoster.Parse(await web.GetStringAsync($"/requests/{id}"));
        Assert.Contains("download period ended", page.QuerySelector("[data-testid=fulfilment-state]")!.TextContent);
        var api = await (await factory.ApiClientAsync("subject@demo.local")).GetAsync($"/api/v1/requests/{id}/export");
        Assert.Equal(HttpStatusCode.Gone, api.StatusCode);

        await using var db = factory.CreateDbContext();
        Assert.Equal(FulfilmentState.Expired, (await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id)).State);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.ExportPurged));
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task Withdrawn_before_the_worker_ran_nothing_is_built()
    {
        var id = await ApprovedExportAsync();
        Assert.True((await Workflow.WithdrawAsync(id, subject)).Succeeded);

        await Runner.RunDueAsync();

        await using var db = factory.CreateDbContext();
        Assert.Equal(FulfilmentState.Cancelled, (await db.FulfilmentJobs.SingleAsync(j => j.RequestId == id)).State);
        Assert.False(Directory.Exists(Path.Combine(factory.Folder, "exports")) && Directory.EnumerateFiles(Path.Combine(factory.Folder, "exports")).Any());
    }

    private async Task<Guid> ApprovedExportAsync()
    {
        var request = (await Workflow.SubmitAsync(subject.Export(), subject, "Signed-in session")).Request!;
        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        return request.Id;
    }

    private static Dictionary<string, string?> Normalise(Dictionary<string, object?> row) =>
        row.ToDictionary(c => c.Key, c => c.Value is null ? null : Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture));

    private static Dictionary<string, string?> Normalise(JsonElement row) =>
        row.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => p.Value.GetString(),
            _ => p.Value.GetRawText(),
        });
}
