using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using DsrPortal.Data;
using DsrPortal.Features.Queue;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// The queue's first page at 100,000 requests, as the page loads it (<see cref="QueueQuery.PageAsync"/>: the capped
/// count and the first 25 rows), against the very same SQL with the same parameters replayed over raw ADO.NET: the
/// commands are captured from the portal's own run, so the baseline is what the database alone costs.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "queue")]
public sealed class QueueBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RequestCount = 100_000;
    private const int Runs = 60;
    private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });
    private string agentId = "";

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        agentId = (await factory.ActorAsync("agent@demo.local")).UserId;
        var subjectId = (await factory.ActorAsync("subject@demo.local")).UserId;
        var watch = Stopwatch.StartNew();
        await BenchSeed.RequestsAsync(factory, subjectId, agentId, RequestCount);
        output.WriteLine($"seeded {RequestCount:N0} requests in {watch.ElapsedMilliseconds} ms");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Queue_first_page_at_one_hundred_thousand_requests()
    {
        var now = DateTimeOffset.UtcNow;
        string connectionString;
        await using (var db = factory.CreateDbContext())
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        // The portal: a fresh context per load, as each page load gets.
        var portal = await TimeAsync(async () =>
        {
            await using var db = factory.CreateDbContext();
            var slice = await QueueQuery.PageAsync(db, new QueueFilter(), agentId, now, new QueueOrder(), null, 25, CancellationToken.None);
            Assert.Equal(25, slice.Rows.Count);
            Assert.Equal(QueueQuery.CountCap + 1, slice.Counted);
        });

        // The baseline: the commands that load ran, captured, then replayed on a pooled raw connection.
        var capture = new CommandCapture();
        await using (var db = new SqliteApplicationDbContext(new DbContextOptionsBuilder<SqliteApplicationDbContext>()
            .UseSqlite(connectionString).AddInterceptors(capture).Options))
        {
            await QueueQuery.PageAsync(db, new QueueFilter(), agentId, now, new QueueOrder(), null, 25, CancellationToken.None);
        }

        Assert.Equal(2, capture.Commands.Count);
        var baseline = await TimeAsync(async () =>
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            foreach (var (sql, parameters) in capture.Commands)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value);
                }

                await using var reader = await command.ExecuteReaderAsync();
                var values = new object[reader.FieldCount];
                while (await reader.ReadAsync())
                {
                    reader.GetValues(values);
                }
            }
        });

        output.WriteLine($"queue: first page p50 {portal.P50:F1} ms, p95 {portal.P95:F1} ms; the same SQL raw: p50 {baseline.P50:F1} ms, p95 {baseline.P95:F1} ms ({Runs} loads each)");
        BenchLine.Write(output, "queue", $"p95 {portal.P95:F1} ms", $"p95 {baseline.P95:F1} ms (the same SQL over raw ADO.NET)",
            portal.P95 / baseline.P95, "p95 < 50 ms", portal.P95 < 50);
    }

    /// <summary>
    /// The app's list (<c>GET /api/v1/requests</c>) deep in 100,000 requests: page 999 reached by the cursor of the Link
    /// header against page 0, and the old <c>?page=999</c> for comparison. Keyset paging makes depth free.
    /// </summary>
    [Fact]
    public async Task Api_list_page_999_by_cursor_costs_what_page_0_costs()
    {
        using var api = await factory.ApiClientAsync("subject@demo.local");
        long last;
        await using (var db = factory.CreateDbContext())
        {
            // The cursor the Link header of page 998 carries: the number of that page's last request.
            last = await db.Requests.OrderByDescending(r => r.Number).Skip(999 * 50 - 1).Select(r => r.Number).FirstAsync();
        }

        async Task GetAsync(string query)
        {
            using var response = await api.GetAsync($"api/v1/requests{query}");
            response.EnsureSuccessStatusCode();
            Assert.Equal(50, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetArrayLength());
        }

        var first = await TimeAsync(() => GetAsync(""));
        var deep = await TimeAsync(() => GetAsync($"?after={DsrPortal.Features.Api.ListCursor.Write(last)}"));
        var offset = await TimeAsync(() => GetAsync("?page=999"));
        var ratio = deep.P50 / first.P50;
        output.WriteLine(System.FormattableString.Invariant(
            $"queue: API list page 999 by cursor p50 {deep.P50:F1} ms vs page 0 p50 {first.P50:F1} ms, ratio {ratio:0.00}x (goal <= 2x) {(ratio <= 2 ? "met" : "missed")}; ?page=999 by offset p50 {offset.P50:F1} ms"));
    }

    private static async Task<(double P50, double P95)> TimeAsync(Func<Task> load)
    {
        for (var i = 0; i < 5; i++)
        {
            await load();
        }

        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await load();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[Runs / 2], times[(int)Math.Ceiling(Runs * 0.95) - 1]);
    }

    /// <summary>Every query a context runs, with its parameters' values as they were sent.</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Record(DbCommand command) =>
            Commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value))]));
    }
}
