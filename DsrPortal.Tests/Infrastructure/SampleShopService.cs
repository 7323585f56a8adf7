using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DsrPortal.Features.DataSources.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// A company service that gives the portal no database: a real HTTP server (Kestrel, loopback) implementing the connector
/// protocol as a company's developers would from the README. It holds orders (deleted as an asynchronous job, confirmed by a
/// signed callback), invoices (kept by law) and a delivery address (correctable), keyed on the person's phone number, and
/// refuses any call not signed with the shared secret or older than five minutes.
/// </summary>
public sealed class SampleShopService : IAsyncDisposable
{
    public const string Secret = "sample-shop-secret-of-at-least-32-characters";
    public const string Name = "shop";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> failures = new();
    private readonly ConcurrentDictionary<string, bool> operations = new();

    private SampleShopService(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    /// <summary>Orders per phone number: id, item, amount.</summary>
    public ConcurrentDictionary<string, List<(long Id, string Item, decimal Amount)>> Orders { get; } = new();

    public ConcurrentDictionary<string, List<(long Id, string Number)>> Invoices { get; } = new();

    public ConcurrentDictionary<string, string> Addresses { get; } = new();

    /// <summary>Every call received, by path, with whether its signature held.</summary>
    public ConcurrentQueue<(string Path, bool Signed)> Calls { get; } = new();

    /// <summary>Where callbacks go: the portal (a test server's client or a real one); the callback's path is kept.</summary>
    public HttpClient? Portal { get; set; }

    public static async Task<SampleShopService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new SampleShopService(app);
        app.MapPost("/dsr/{operation}", service.HandleAsync);
        await app.StartAsync();
        service.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return service;
    }

    /// <summary>The person with that phone number has three orders, two invoices and an address.</summary>
    public void Seed(string phone)
    {
        Orders[phone] = [(1, "Green tea", 38m), (2, "Teapot", 120m), (3, "Cups", 45.5m)];
        Invoices[phone] = [(10, "INV-2026-0001"), (11, "INV-2026-0002")];
        Addresses[phone] = "1 Old Road, Hangzhou";
    }

    /// <summary>The next calls fail with these status codes (a service having a bad moment), then all is well again.</summary>
    public void FailNext(params int[] statusCodes)
    {
        foreach (var code in statusCodes)
        {
            failures.Enqueue(code);
        }
    }

    private async Task<IResult> HandleAsync(string operation, HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var signed = ConnectorSignature.Verify(Secret, request.Headers[ConnectorSignature.TimestampHeader], request.Headers[ConnectorSignature.SignatureHeader], body, DateTimeOffset.UtcNow);
        Calls.Enqueue((operation, signed));
        if (!signed)
        {
            return Results.Unauthorized();
        }

        if (failures.TryDequeue(out var failure))
        {
            return Results.StatusCode(failure);
        }

        var json = JsonDocument.Parse(body).RootElement;
        var phone = json.GetProperty("subject").TryGetProperty("phone", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        var category = json.TryGetProperty("category", out var c) ? c.GetString() : null;
        switch (operation)
        {
            case "count":
                return Results.Json(new
                {
                    counts = new Dictionary<string, long>
                    {
                        ["ShopOrders"] = Orders.GetValueOrDefault(phone)?.Count ?? 0,
                        ["ShopInvoices"] = Invoices.GetValueOrDefault(phone)?.Count ?? 0,
                        ["ShopProfile"] = Addresses.ContainsKey(phone) ? 1 : 0,
                    },
                });
            case "export":
                return Results.Json(Export(phone, category, json.TryGetProperty("cursor", out var cursor) ? cursor.GetString() : null));
            case "erase" when category == "ShopOrders":
                var id = json.GetProperty("operation").GetString()!;
                var callback = new Uri(json.GetProperty("callback").GetString()!);
                // The same operation again (a resumed deletion) is not done twice.
                if (operations.TryAdd(id, true))
                {
                    _ = Task.Run(() => FinishLaterAsync(phone, id, callback));
                }

                return Results.Accepted();
            case "erase" when category == "ShopProfile":
                return Results.Json(new { rows = Addresses.TryRemove(phone, out _) ? 1 : 0 });
            case "field":
                return Results.Json(new { value = Addresses.GetValueOrDefault(phone) });
            case "correct":
                var applied = Addresses.ContainsKey(phone);
                if (applied)
                {
                    Addresses[phone] = json.GetProperty("value").GetString()!;
                }

                return Results.Json(new { applied });
            default:
                return Results.BadRequest();
        }
    }

    private object Export(string phone, string? category, string? cursor)
    {
        // Two rows a page, so the portal follows the cursor.
        var from = cursor is null ? 0 : int.Parse(cursor, CultureInfo.InvariantCulture);
        List<object?[]> rows = category switch
        {
            "ShopOrders" => [.. (Orders.GetValueOrDefault(phone) ?? []).Select(o => new object?[] { o.Id, o.Item, o.Amount })],
            "ShopInvoices" => [.. (Invoices.GetValueOrDefault(phone) ?? []).Select(i => new object?[] { i.Id, i.Number })],
            _ => Addresses.TryGetValue(phone, out var address) ? [[address]] : [],
        };
        string[] columns = category switch
        {
            "ShopOrders" => ["id", "item", "amount"],
            "ShopInvoices" => ["id", "number"],
            _ => ["delivery_address"],
        };
        var page = rows.Skip(from).Take(2).ToList();
        return new { columns, rows = page, next = from + 2 < rows.Count ? (from + 2).ToString(CultureInfo.InvariantCulture) : null };
    }

    private async Task FinishLaterAsync(string phone, string operation, Uri callback)
    {
        await Task.Delay(300);
        var rows = Orders.TryRemove(phone, out var removed) ? removed.Count : 0;
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { operation, status = "done", rows }));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var message = new HttpRequestMessage(HttpMethod.Post, callback.PathAndQuery) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        message.Headers.Add(ConnectorSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.Add(ConnectorSignature.SignatureHeader, ConnectorSignature.Sign(Secret, timestamp, body));
        using var response = await Portal!.SendAsync(message);
        CallbackStatus.Enqueue((int)response.StatusCode);
    }

    /// <summary>What the portal answered to each callback.</summary>
    public ConcurrentQueue<int> CallbackStatus { get; } = new();

    /// <summary>The portal's settings for this service, as an operator would write them (DataSources:Http:0).</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["DataSources:Http:0:Name"] = Name,
        ["DataSources:Http:0:BaseAddress"] = Url,
        ["DataSources:Http:0:Secret"] = Secret,
        ["DataSources:Http:0:Timeout"] = "00:00:10",
        ["DataSources:Http:0:CallbackPoll"] = "00:00:01",
        ["DataSources:Http:0:Categories:0:Category"] = "ShopOrders",
        ["DataSources:Http:0:Categories:0:Name:en"] = "Your shop orders",
        ["DataSources:Http:0:Categories:0:Name:zh-CN"] = "您的商城订单",
        ["DataSources:Http:0:Categories:1:Category"] = "ShopInvoices",
        ["DataSources:Http:0:Categories:1:Erasure"] = "Retain",
        ["DataSources:Http:0:Categories:1:LegalBasis:en"] = "Invoices are kept for 30 years (Accounting Archives Measures Art. 14).",
        ["DataSources:Http:0:Categories:1:LegalBasis:zh-CN"] = "发票依法保存三十年（《会计档案管理办法》第十四条）。",
        ["DataSources:Http:0:Categories:1:Name:en"] = "Your invoices",
        ["DataSources:Http:0:Categories:1:Name:zh-CN"] = "您的发票",
        ["DataSources:Http:0:Categories:2:Category"] = "ShopProfile",
        ["DataSources:Http:0:Categories:2:Correctable:0"] = "delivery_address",
        ["DataSources:Http:0:Categories:2:Name:en"] = "Your delivery address",
        ["DataSources:Http:0:Categories:2:Name:zh-CN"] = "您的收货地址",
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
