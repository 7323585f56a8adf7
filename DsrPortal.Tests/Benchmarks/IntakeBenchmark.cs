using System.Diagnostics;
using System.Net;
using DsrPortal.Data;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// API intake: 16 connections on loopback submit export requests for 100 subjects through the real HTTP API
/// (bearer tokens, JSON, the workflow, group commit) for a fixed number of requests. Baseline, in the same run:
/// the same rows (the requests, their audit events, their queued emails and the audit head) inserted with raw
/// SQLite, one transaction each, on a copy of the same database. Counts requests lost: every 201 must be a row.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "intake")]
public sealed class IntakeBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Subjects = 100;
    private const int Warmup = 300;
    private const int Measured = 4000;

    private readonly PortalFactory factory = new(new Dictionary<string, string?>
    {
        // Intake alone: queued emails wait in the outbox, as they would for the sender.
        ["Outbox:WorkerEnabled"] = "false",
        ["Api:LoginAttemptsPerMinute"] = "100000",
        ["Logging:LogLevel:Default"] = "Error",
    });

    private readonly List<string> tokens = [];
    private Uri address = null!;

    public async Task InitializeAsync()
    {
        address = factory.StartOnKestrel();
        var watch = Stopwatch.StartNew();
        tokens.AddRange(await IntakeLoad.SubjectsAsync(factory, address, Subjects));
        output.WriteLine($"registered and signed in {Subjects} subjects in {watch.ElapsedMilliseconds} ms");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Intake_through_the_API()
    {
        using var client = IntakeLoad.Client(address);
        await IntakeLoad.RunAsync([client], tokens, Warmup);
        var before = await ApiRequestCountAsync();

        var (latencies, accepted, failed, elapsed) = await IntakeLoad.RunAsync([client], tokens, Measured);
        var rate = accepted / elapsed.TotalSeconds;
        latencies.Sort();
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        var stored = await ApiRequestCountAsync() - before;
        var lost = accepted - stored;

        var baseline = RawInsertRate();
        output.WriteLine($"intake: {accepted} accepted, {failed} refused or failed, {stored} stored, {elapsed.TotalMilliseconds:F0} ms, p50 {latencies[latencies.Count / 2]:F1} ms, p99 {p99:F1} ms");
        BenchLine.Write(output, "intake", $"{rate:F0} requests/s, p99 {p99:F0} ms, {lost + failed} lost", $"{baseline:F0} inserts/s", rate / baseline,
            ">= 500/s, p99 < 100 ms, 0 lost", rate >= 500 && p99 < 100 && lost == 0 && failed == 0);
        Assert.Equal(0, lost);
        Assert.Equal(0, failed);
    }

    private async Task<int> ApiRequestCountAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.Requests.CountAsync(r => r.Channel == DsrPortal.Features.Requests.RequestChannel.Api);
    }

    /// <summary>
    /// The rows one submission wrote (its request, audit events, queued email, the audit head), inserted again with raw
    /// SQLite on a copy of the database, one transaction and one commit each, as fast as one connection goes.
    /// </summary>
    private double RawInsertRate()
    {
        var copy = Path.Combine(factory.Folder, "baseline.db");
        using (var source = new SqliteConnection($"Data Source={Path.Combine(factory.Folder, "portal.db")}"))
        {
            source.Open();
            using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{copy}'";
            vacuum.ExecuteNonQuery();
        }

        using var connection = new SqliteConnection($"Data Source={copy};Pooling=false");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;");
        var requests = Rows(connection, "SELECT * FROM Requests WHERE Channel = 'Api' ORDER BY Number DESC LIMIT " + Measured);
        var ids = requests.Select(r => r["Id"]).ToList();
        var events = Rows(connection, "SELECT * FROM AuditEvents WHERE RequestId IN (SELECT Id FROM Requests WHERE Channel = 'Api') ORDER BY Sequence")
            .ToLookup(e => e["RequestId"]);
        var mails = Rows(connection, "SELECT * FROM OutboxMessages WHERE RequestId IN (SELECT Id FROM Requests WHERE Channel = 'Api')")
            .ToLookup(m => m["RequestId"]);
        Execute(connection, "DELETE FROM OutboxMessages WHERE RequestId IN (SELECT Id FROM Requests WHERE Channel = 'Api'); " +
            "DELETE FROM AuditEvents WHERE RequestId IN (SELECT Id FROM Requests WHERE Channel = 'Api'); DELETE FROM Requests WHERE Channel = 'Api';");

        var insertRequest = Insert(connection, "Requests", requests[0].Keys);
        var insertEvent = Insert(connection, "AuditEvents", events.First().First().Keys);
        var insertMail = Insert(connection, "OutboxMessages", mails.First().First().Keys);
        using var head = connection.CreateCommand();
        head.CommandText = "UPDATE AuditHeads SET LastSequence = $sequence, LastHash = $hash WHERE Id = 1";
        var sequence = head.Parameters.Add("$sequence", SqliteType.Integer);
        var hash = head.Parameters.Add("$hash", SqliteType.Text);

        var watch = Stopwatch.StartNew();
        foreach (var request in requests)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var command in new[] { insertRequest, insertEvent, insertMail, head })
            {
                command.Transaction = transaction;
            }

            Run(insertRequest, request);
            foreach (var e in events[request["Id"]])
            {
                Run(insertEvent, e);
                sequence.Value = e["Sequence"];
                hash.Value = e["Hash"];
                head.ExecuteNonQuery();
            }

            foreach (var mail in mails[request["Id"]])
            {
                Run(insertMail, mail);
            }

            transaction.Commit();
        }

        return requests.Count / watch.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<Dictionary<string, object>> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static SqliteCommand Insert(SqliteConnection connection, string table, IEnumerable<string> columns)
    {
        var names = columns.ToList();
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < names.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}", SourceColumn = names[i] });
        }

        return command;
    }

    private static void Run(SqliteCommand insert, Dictionary<string, object> row)
    {
        foreach (SqliteParameter parameter in insert.Parameters)
        {
            parameter.Value = row[(string)parameter.SourceColumn!];
        }

        insert.ExecuteNonQuery();
    }
}
