using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// A company system's webhook receiver: a real HTTP server (Kestrel) on a loopback port of its own that keeps
/// every post it receives with its headers, and answers with the status codes a test lines up (200 after them).
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    public const string Secret = "test-webhook-secret-of-at-least-32-characters";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> answers = new();

    private WebhookListener(WebApplication app) => this.app = app;

    public ConcurrentQueue<Received> Posts { get; } = new();

    public string Url { get; private set; } = "";

    public sealed record Received(string Body, string? Signature, string? Event, int AnsweredWith)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var status = listener.answers.TryDequeue(out var next) ? next : StatusCodes.Status200OK;
            listener.Posts.Enqueue(new Received(body, request.Headers["X-DsrPortal-Signature"], request.Headers["X-DsrPortal-Event"], status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Url = $"{address}/hook";
        return listener;
    }

    /// <summary>The next posts are answered with these codes, in order; after them, 200.</summary>
    public void AnswerNext(params int[] statusCodes)
    {
        foreach (var code in statusCodes)
        {
            answers.Enqueue(code);
        }
    }

    /// <summary>The first post taken (answered 2xx) that matches, waiting up to the timeout for it.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (Posts.FirstOrDefault(p => p.AnsweredWith < 300 && match(p)) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching webhook post arrived; received {Posts.Count}: {string.Join(" | ", Posts.Select(p => p.Body))}");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
