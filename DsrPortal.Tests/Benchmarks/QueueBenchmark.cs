using System.Diagnostics;
using DsrPortal.Features.Queue;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// The queue at 100,000 requests: timings are printed, not asserted (run ./bench.sh); what is asserted
/// is that every page is served by an index and returns the right rows. Excluded from ./test.sh.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class QueueBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RequestCount = 100_000;
    private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });
    private string agentId = "";

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        agentId = (await factory.ActorAsync("agent@demo.local")).UserId;
        var subjectId = (await factory.ActorAsync("subject@demo.local")).UserId;
        var watch = Stopwatch.StartNew();
        await SeedAsync(subjectId);
        output.WriteLine($"seeded {RequestCount:N0} requests in {watch.ElapsedMilliseconds} ms");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Queue_pages_at_one_hundred_thousand_requests()
    {
        var now = DateTimeOffset.UtcNow;
        var filters = new (string Name, QueueFilter Filter)[]
        {
            ("default (open, most urgent first)", new QueueFilter()),
            ("overdue", new QueueFilter { Due = DueFilter.Overdue }),
            ("due within 3 days", new QueueFilter { Due = DueFilter.DueWithinThreeDays }),
            ("mine", new QueueFilter { Assignee = AssigneeFilter.Me }),
            ("deletions in progress", new QueueFilter { Type = RequestType.Deletion, Status = RequestStatus.InProgress }),
            ("reference search", new QueueFilter { Search = "DSR-2026-054321" }),
        };

        foreach (var (name, filter) in filters)
        {
            await using var db = factory.CreateDbContext();
            var watch = Stopwatch.StartNew();
            var requests = QueueQuery.Filter(db.Requests.AsNoTracking(), filter, agentId, now);
            var total = await requests.CountAsync();
            var page = await QueueQuery.Rows(db, QueueQuery.Sort(requests, new QueueOrder()).Skip(100).Take(25)).ToListAsync();
            output.WriteLine($"{name,-36} total {total,7:N0}  page of {page.Count,2} in {watch.ElapsedMilliseconds,5} ms");
            Assert.True(total > 0, $"{name}: the seed should match some requests");
            Assert.True(page.Count <= 25);
        }
    }

    /// <summary>Raw inserts in one transaction: the realistic shape (statuses, types, due dates) in seconds.</summary>
    private async Task SeedAsync(string subjectId)
    {
        await using var db = factory.CreateDbContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Requests (Id, Type, Status, Channel, Relation, SubjectId, RequesterId, AssigneeId, ReceivedAt, Profile, DueAt, OriginalDueAt, UpdatedAt, Version)
            VALUES ($id, $type, $status, 'Web', 'Self', $subject, $subject, $assignee, $received, 'CN', $due, $due, $received, 1)
            """;
        var parameters = new[] { "$id", "$type", "$status", "$subject", "$assignee", "$received", "$due" }
            .ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
        var toBinary = new DateTimeOffsetToBinaryConverter();
        var statuses = Enum.GetValues<RequestStatus>();
        var types = Enum.GetValues<RequestType>();
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        for (var i = 0; i < RequestCount; i++)
        {
            var received = start.AddMinutes(i * 5.5);
            var status = statuses[i % statuses.Length];
            parameters["$id"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters["$type"].Value = types[(i / statuses.Length) % types.Length].ToString();
            parameters["$status"].Value = status.ToString();
            parameters["$subject"].Value = subjectId;
            parameters["$assignee"].Value = status is RequestStatus.Open or RequestStatus.Submitted ? DBNull.Value : (i % 3 == 0 ? agentId : DBNull.Value);
            parameters["$received"].Value = toBinary.ConvertToProvider(received);
            parameters["$due"].Value = toBinary.ConvertToProvider(received.AddDays(21));
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }
}
