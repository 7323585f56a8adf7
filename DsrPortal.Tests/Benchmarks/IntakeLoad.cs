using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Policies;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>The intake benchmarks' load: subjects registered and signed in through the API, then callers submitting exports.</summary>
internal static class IntakeLoad
{
    public const int Connections = 16;

    /// <summary>Registers <paramref name="count"/> subjects on the portal and signs each in through its API; returns their bearer tokens.</summary>
    public static async Task<List<string>> SubjectsAsync(PortalFactory factory, Uri address, int count)
    {
        var tokens = new List<string>();
        using var client = new HttpClient { BaseAddress = address };
        for (var i = 0; i < count; i++)
        {
            var email = $"bench{i}@example.com";
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var registered = await scope.ServiceProvider.GetRequiredService<SubjectRegistrationService>().RegisterAsync(new SubjectRegistration(
                    email, PortalForms.DemoPassword, $"+86 138 {i:0000} 0000", $"bench{i}", Gender.Unspecified, Constellation.Aries,
                    new DateOnly(1990, 1, 1), "en", ConsentChannel.Api));
                Assert.True(registered.Succeeded, string.Join(", ", registered.Errors.Select(e => e.Description)));
            }

            await using (var db = factory.CreateDbContext())
            {
                await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true));
            }

            var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = PortalForms.DemoPassword });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            tokens.Add((await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString()!);
        }

        return tokens;
    }

    /// <summary>
    /// A bounded load: <see cref="Connections"/> callers, each submitting as soon as its last answer came, the n-th
    /// submission going to <paramref name="clients"/>[n % count] (one client per instance).
    /// </summary>
    public static async Task<(List<double> Latencies, int Accepted, int Failed, TimeSpan Elapsed)> RunAsync(
        IReadOnlyList<HttpClient> clients, IReadOnlyList<string> tokens, int total)
    {
        var latencies = new List<double>(total);
        var accepted = 0;
        var failed = 0;
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < total)
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/requests") { Content = JsonContent.Create(new { type = "export" }) };
                message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[n % tokens.Count]);
                var started = Stopwatch.GetTimestamp();
                using var response = await clients[n % clients.Count].SendAsync(message);
                var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(took);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        accepted++;
                    }
                    else
                    {
                        failed++;
                    }
                }
            }
        }));
        return (latencies, accepted, failed, watch.Elapsed);
    }

    public static HttpClient Client(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }, disposeHandler: true) { BaseAddress = address };
}
