using System.Diagnostics;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Export;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// Export and erasure of a subject with 200,000 reading records on SQLite: timings printed, not asserted
/// (run ./bench.sh); what is asserted is that every record is exported, then every one erased.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class FulfilmentBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 200_000;
    private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });
    private long serviceUserId;

    public Task InitializeAsync()
    {
        _ = factory.Server;
        serviceUserId = factory.UserId(ServiceDb.SubjectPhone);
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={factory.ServiceDatabasePath};Pooling=false");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO reading_records (id, user_id, dynamic_id, visited_at, duration_seconds) VALUES (@id, @user, 1, '2026-01-01T00:00:00Z', 30)";
        var id = command.Parameters.Add("@id", SqliteType.Integer);
        command.Parameters.AddWithValue("@user", serviceUserId);
        for (var i = 0; i < Records; i++)
        {
            id.Value = 20_000_000 + i;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        output.WriteLine($"seeded {Records:N0} reading records in {watch.ElapsedMilliseconds} ms");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Export_then_erase_a_subject_with_two_hundred_thousand_records()
    {
        var subject = await factory.ActorAsync("subject@demo.local");
        var data = factory.Services.GetRequiredService<PersonalData>();
        var keys = (await data.KeysAsync(subject.UserId, CancellationToken.None))!;
        var path = Path.Combine(factory.Folder, "bench.zip");

        var watch = Stopwatch.StartNew();
        ExportManifest manifest;
        await using (var file = File.Create(path))
        {
            manifest = await factory.Services.GetRequiredService<ExportPackageWriter>().WriteAsync(file, keys, "DSR-2026-000001", "en", DateTimeOffset.UtcNow);
        }

        var records = manifest.Categories.Sum(c => c.Records);
        output.WriteLine($"exported {records:N0} records into {new FileInfo(path).Length / 1024:N0} KB in {watch.ElapsedMilliseconds} ms");
        Assert.True(records > Records);

        watch.Restart();
        var plan = await data.PlanErasureAsync(keys, new HashSet<string> { "ReadingRecords" }, CancellationToken.None);
        var erased = 0L;
        foreach (var step in plan)
        {
            erased += await data.Source(step.Source).EraseAsync(step, CancellationToken.None);
        }

        output.WriteLine($"erased {erased:N0} reading records in {plan.Count} set-based step(s) in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, factory.CountForUserId("reading_records", serviceUserId));
    }
}
