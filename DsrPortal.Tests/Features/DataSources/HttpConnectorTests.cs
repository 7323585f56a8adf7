using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.DataSources.Http;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.DataSources;

/// <summary>
/// A service reached over HTTP (the sample shop, a real Kestrel server speaking the README's protocol): counted, exported
/// page by page into the ZIP through a transient failure, erased as an asynchronous job confirmed by its signed callback,
/// with a retained category kept; forged, stale and replayed callbacks change nothing.
/// </summary>
public sealed class HttpConnectorTests : IAsyncLifetime
{
    private SampleShopService shop = null!;
    private PortalFactory factory = null!;
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    public async Task InitializeAsync()
    {
        shop = await SampleShopService.StartAsync();
        shop.Seed(ServiceDb.SubjectPhone);
        var settings = shop.Settings();
        settings["Outbox:WorkerEnabled"] = "false";
        settings["Fulfilment:CoolingOffDays"] = "0";
        factory = new PortalFactory(settings);
        shop.Portal = factory.CreateClient();
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await shop.DisposeAsync();
    }

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    private FulfilmentRunner Runner => factory.Services.GetRequiredService<FulfilmentRunner>();

    private async Task<Guid> ApprovedAsync(NewRequest details)
    {
        var request = (await Workflow.SubmitAsync(details, subject, "session")).Request!;
        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        return request.Id;
    }

    [Fact]
    public async Task The_shop_is_counted_exported_through_a_bad_moment_and_erased_by_callback_keeping_invoices()
    {
        var held = await factory.Services.GetRequiredService<PersonalData>().DescribeAsync(subject.UserId, CancellationToken.None);
        Assert.Equal(3, held.Single(h => h.Category.Code == "ShopOrders").Count);
        Assert.Equal("Your invoices", held.Single(h => h.Category.Code == "ShopInvoices").Category.Name.In("en"));

        // The shop has a bad moment: two 503s are retried with backoff, and the export carries on.
        shop.FailNext(503, 503);
        var export = await ApprovedAsync(subject.Export());
        Assert.Equal(1, await Runner.RunDueAsync());
        var web = await factory.SignedInClientAsync("subject@demo.local");
        using (var zip = new ZipArchive(new MemoryStream(await web.GetByteArrayAsync($"/requests/{export}/export"))))
        {
            var orders = Read(zip.Entries.Single(e => e.FullName.Contains("ShopOrders", StringComparison.Ordinal) && e.FullName.EndsWith(".csv", StringComparison.Ordinal)));
            // Three orders over two pages of the shop's answer, in order.
            Assert.Equal(["Green tea", "Teapot", "Cups"], orders.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[1]));
            Assert.Contains("INV-2026-0002", Read(zip.Entries.Single(e => e.FullName.Contains("ShopInvoices", StringComparison.Ordinal) && e.FullName.EndsWith(".csv", StringComparison.Ordinal))));
        }

        Assert.All(shop.Calls, c => Assert.True(c.Signed));

        // A correction of the address goes to the shop's correct endpoint.
        var data = factory.Services.GetRequiredService<PersonalData>();
        var keys = (await data.KeysAsync(subject.UserId, CancellationToken.None))!;
        Assert.Equal("1 Old Road, Hangzhou", await data.SourceOfField("ShopProfile.delivery_address").ReadFieldAsync(keys, "ShopProfile.delivery_address", CancellationToken.None));
        Assert.True(await data.SourceOfField("ShopProfile.delivery_address").CorrectAsync(keys, "ShopProfile.delivery_address", "8 New Street, Hangzhou", CancellationToken.None));
        Assert.Equal("8 New Street, Hangzhou", shop.Addresses[ServiceDb.SubjectPhone]);

        // The whole account: the shop takes the orders as a job, and the deletion waits at that step for its callback.
        var deletion = await ApprovedAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.WholeAccount,
        });
        Assert.Equal(0, await Runner.RunDueAsync());
        await using (var db = factory.CreateDbContext())
        {
            var job = await db.FulfilmentJobs.SingleAsync(j => j.RequestId == deletion);
            Assert.Equal((FulfilmentState.Scheduled, 0), (job.State, job.Attempts));
            Assert.Equal(ConnectorOperationState.Sent, (await db.ConnectorOperations.SingleAsync()).State);
        }

        await Eventually.TrueAsync(() => !shop.CallbackStatus.IsEmpty, "the shop's callback");
        Assert.Equal(204, shop.CallbackStatus.Single());
        await Eventually.ValueAsync(async () =>
        {
            await Task.Delay(200);
            await Runner.RunDueAsync();
            await using var db = factory.CreateDbContext();
            return (await db.Requests.SingleAsync(r => r.Id == deletion)).Status == RequestStatus.CompletedWithExceptions ? "done" : null;
        });

        Assert.False(shop.Orders.ContainsKey(ServiceDb.SubjectPhone));
        Assert.False(shop.Addresses.ContainsKey(ServiceDb.SubjectPhone));
        Assert.Equal(2, shop.Invoices[ServiceDb.SubjectPhone].Count);
        await using (var db = factory.CreateDbContext())
        {
            var request = await db.Requests.SingleAsync(r => r.Id == deletion);
            Assert.Contains("Your invoices", request.OutcomeNote);
            var steps = await db.AuditEvents.Where(e => e.RequestId == deletion && e.Action == AuditActions.ErasureStep).Select(e => e.Details).ToListAsync();
            Assert.Contains(steps, d => d!.Contains("ShopOrders", StringComparison.Ordinal) && d.Contains("\"rows\":\"3\"", StringComparison.Ordinal));
            // The person's identifiers went to the shop inside the plan only: no audit row holds them.
            Assert.DoesNotContain(steps, d => d!.Contains(ServiceDb.SubjectPhone, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_forged_stale_unknown_or_replayed_callback_changes_nothing()
    {
        var client = factory.CreateClient();
        await using (var db = factory.CreateDbContext())
        {
            db.ConnectorOperations.Add(ConnectorOperation.Sent("op-forged-test", SampleShopService.Name, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        async Task<HttpStatusCode> PostAsync(string source, string body, string secret, DateTimeOffset at, string? signature = null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var timestamp = at.ToUnixTimeSeconds();
            using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/connectors/{source}/callback") { Content = new ByteArrayContent(bytes) };
            message.Headers.Add(ConnectorSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            message.Headers.Add(ConnectorSignature.SignatureHeader, signature ?? ConnectorSignature.Sign(secret, timestamp, bytes));
            using var response = await client.SendAsync(message);
            return response.StatusCode;
        }

        const string done = """{"operation":"op-forged-test","status":"done","rows":999}""";
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("shop", done, "a-guessed-secret-that-is-long-enough-too", now));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("shop", done, SampleShopService.Secret, now, signature: "sha256=00"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("shop", done, SampleShopService.Secret, now.AddMinutes(-10)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("no-such-source", done, SampleShopService.Secret, now));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("shop", """{"operation":"op-forged-test","status":"maybe"}""", SampleShopService.Secret, now));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("shop", """{"operation":"op-never-sent","status":"done"}""", SampleShopService.Secret, now));
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(ConnectorOperationState.Sent, (await db.ConnectorOperations.SingleAsync(o => o.Id == "op-forged-test")).State);
        }

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync("shop", done, SampleShopService.Secret, now));
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync("shop", """{"operation":"op-forged-test","status":"failed"}""", SampleShopService.Secret, now));
        await using (var db = factory.CreateDbContext())
        {
            var operation = await db.ConnectorOperations.SingleAsync(o => o.Id == "op-forged-test");
            Assert.Equal((ConnectorOperationState.Done, 999L), (operation.State, operation.Rows));
        }

        // The shop, for its part, refuses a call the portal did not sign.
        using var unsigned = await new HttpClient().PostAsync(new Uri(new Uri(shop.Url), "dsr/count"), new StringContent("""{"subject":{"phone":"13800000001"}}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
