using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DsrPortal.Features.Audit;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// <c>audit verify</c> over a trail of 1,000,000 signed events, end to end as an operator runs it (a new process:
/// start-up, reading, hashing, signature checks). Baseline, in the same run: a plain loop that reads the same rows
/// with raw ADO.NET and recomputes the SHA-256 chain, with no signature checks and no start-up.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "audit")]
public sealed class AuditBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Events = 1_000_000;
    private readonly string folder = Directory.CreateTempSubdirectory("dsr-audit-bench-").FullName;
    private string Database => Path.Combine(folder, "portal.db");

    /// <summary>
    /// A portal writes the demo's trail and hands out its key; the million events are added, and the portal stops, so
    /// that nothing of it (its workers, its checkpoint round) runs while the operator's command is timed.
    /// </summary>
    public async Task InitializeAsync()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });
        _ = factory.Server;
        var watch = Stopwatch.StartNew();
        await SeedAsync(factory);
        output.WriteLine($"seeded {Events:N0} signed audit events in {watch.ElapsedMilliseconds} ms");
        SqliteConnection.ClearAllPools();
        File.Copy(Path.Combine(factory.Folder, "portal.db"), Database);
        File.Copy(Path.Combine(factory.Folder, "audit-signing.key"), Path.Combine(folder, "audit-signing.key"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Audit_verify_of_a_million_events()
    {
        // Start-up alone, for the record: the part of the figure that is not verification.
        var help = await MedianAsync("help");
        output.WriteLine($"audit: start-up alone (dotnet DsrPortal.dll help), median of {Runs}: {help.Elapsed.TotalMilliseconds:F0} ms");

        var verify = await MedianAsync("audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Matches(@"OK \d+ events", verify.Output);

        var baseline = PlainChain();
        BenchLine.Write(output, "audit", $"{verify.Elapsed.TotalSeconds:F2} s to verify {Events:N0} events end to end (median of {Runs})", $"{baseline.TotalSeconds:F2} s",
            verify.Elapsed / baseline, "< 5 s end to end", verify.Elapsed < TimeSpan.FromSeconds(5));
    }

    private const int Runs = 3;

    private async Task<(int ExitCode, string Output, string Error, TimeSpan Elapsed)> MedianAsync(params string[] args)
    {
        var runs = new List<(int ExitCode, string Output, string Error, TimeSpan Elapsed)>();
        for (var i = 0; i < Runs; i++)
        {
            runs.Add(await RunPortalAsync(args));
        }

        return runs.OrderBy(r => r.Elapsed).ElementAt(Runs / 2);
    }

    private async Task<(int ExitCode, string Output, string Error, TimeSpan Elapsed)> RunPortalAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepoPaths.PortalAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Database}";
        start.Environment["Audit__SigningKeyPath"] = Path.Combine(folder, "audit-signing.key");
        start.Environment["DemoData__Enabled"] = "false";
        start.Environment["Branding__AssetsPath"] = RepoPaths.Assets;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    /// <summary>The same rows, read with raw ADO.NET, chained with SHA-256 in a plain loop: what the check cannot beat.</summary>
    private TimeSpan PlainChain()
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=false;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Sequence, OccurredAt, ActorId, ActorRole, Action, RequestId, SubjectPseudonym, Details, PreviousHash, Hash FROM AuditEvents ORDER BY Sequence";
        using var reader = command.ExecuteReader();
        var previous = AuditHasher.Genesis;
        var toBinary = new DateTimeOffsetToBinaryConverter();
        var count = 0;
        while (reader.Read())
        {
            var occurredAt = (DateTimeOffset)toBinary.ConvertFromProvider(reader.GetInt64(1))!;
            var canonical = string.Join('\n', previous, reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                occurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? "" : Guid.Parse(reader.GetString(5)).ToString("D"),
                reader.IsDBNull(6) ? "" : reader.GetString(6), reader.GetString(7));
            previous = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            Assert.Equal(reader.GetString(9), previous);
            count++;
        }

        Assert.True(count >= Events);
        return watch.Elapsed;
    }

    /// <summary>Signed events written straight into the table after the demo's own, and the head moved and sealed to match.</summary>
    private static async Task SeedAsync(PortalFactory factory)
    {
        var database = Path.Combine(factory.Folder, "portal.db");
        await using var db = factory.CreateDbContext();
        var head = await db.AuditHeads.AsNoTracking().SingleAsync();
        var key = factory.Services.GetRequiredService<AuditKey>();
        var toBinary = new DateTimeOffsetToBinaryConverter();
        using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO AuditEvents (Sequence, OccurredAt, ActorId, ActorRole, Action, RequestId, SubjectPseudonym, Details, PreviousHash, Hash, Signature)
            VALUES ($sequence, $at, $actor, 'Agent', 'request.status-changed', $request, $pseudonym, $details, $previous, $hash, $signature)
            """;
        var p = new[] { "$sequence", "$at", "$actor", "$request", "$pseudonym", "$details", "$previous", "$hash", "$signature" }
            .ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
        var previous = head.LastHash;
        var sequence = head.LastSequence;
        var start = AuditHasher.Truncate(DateTimeOffset.UtcNow.AddDays(-300));
        for (var i = 0; i < Events; i++)
        {
            sequence++;
            var at = start.AddMilliseconds(i * 25_000L);
            var request = Guid.NewGuid();
            var pseudonym = Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray()))[..32];
            var details = i % 2 == 0 ? """{"from":"Open","to":"InProgress"}""" : """{"from":"InProgress","to":"Completed"}""";
            var hash = AuditHasher.Compute(previous, sequence, at, "agent-1", "Agent", "request.status-changed", request, pseudonym, details);
            p["$sequence"].Value = sequence;
            p["$at"].Value = toBinary.ConvertToProvider(at);
            p["$actor"].Value = "agent-1";
            p["$request"].Value = request.ToString().ToUpperInvariant();
            p["$pseudonym"].Value = pseudonym;
            p["$details"].Value = details;
            p["$previous"].Value = previous;
            p["$hash"].Value = hash;
            p["$signature"].Value = key.SignEvent(hash);
            insert.ExecuteNonQuery();
            previous = hash;
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE AuditHeads SET LastSequence = $sequence, LastHash = $hash, Signature = $signature, Version = $version WHERE Id = 1";
        update.Parameters.AddWithValue("$sequence", sequence);
        update.Parameters.AddWithValue("$hash", previous);
        update.Parameters.AddWithValue("$signature", key.SignHead(sequence, previous, head.PurgedThroughSequence, head.PurgedThroughHash));
        update.Parameters.AddWithValue("$version", Guid.NewGuid().ToString().ToUpperInvariant());
        update.ExecuteNonQuery();
        transaction.Commit();
        // As a running portal leaves it: the write-ahead log folded into the database file.
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        checkpoint.ExecuteNonQuery();
    }
}
