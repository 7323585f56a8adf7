using System.Diagnostics;
using DsrPortal.Features.DataSources;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// Erasure of a subject's 200,000 reading records by the portal's plan (set-based steps), against a raw
/// <c>DELETE</c> of the same rows on an identical copy of the database, in the same run. The ratio is of times:
/// below 1 the portal is faster than the raw statement.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "erasure")]
public sealed class ErasureBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 200_000;
    private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });
    private long serviceUserId;

    public Task InitializeAsync()
    {
        _ = factory.Server;
        serviceUserId = factory.UserId(ServiceDb.SubjectPhone);
        BenchSeed.ReadingRecords(factory, serviceUserId, Records);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Erasure_of_two_hundred_thousand_records()
    {
        var copy = Path.Combine(factory.Folder, "baseline.db");
        using (var source = new SqliteConnection($"Data Source={factory.ServiceDatabasePath};Pooling=false"))
        {
            source.Open();
            using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{copy}'";
            vacuum.ExecuteNonQuery();
        }

        var subject = await factory.ActorAsync("subject@demo.local");
        var data = factory.Services.GetRequiredService<PersonalData>();
        var keys = (await data.KeysAsync(subject.UserId, CancellationToken.None))!;
        var watch = Stopwatch.StartNew();
        var plan = await data.PlanErasureAsync(keys, new HashSet<string> { "ReadingRecords" }, CancellationToken.None);
        var erased = 0L;
        foreach (var step in plan)
        {
            erased += await data.Source(step.Source).EraseAsync(step, CancellationToken.None);
        }

        var portal = watch.Elapsed;
        Assert.Equal(0, factory.CountForUserId("reading_records", serviceUserId));

        using var raw = new SqliteConnection($"Data Source={copy};Pooling=false");
        raw.Open();
        using var delete = raw.CreateCommand();
        delete.CommandText = "DELETE FROM reading_records WHERE user_id = @user";
        delete.Parameters.AddWithValue("@user", serviceUserId);
        watch.Restart();
        var deleted = delete.ExecuteNonQuery();
        var baseline = watch.Elapsed;
        Assert.Equal(deleted, erased);

        output.WriteLine($"erasure: {erased:N0} records in {plan.Count} set-based step(s)");
        BenchLine.Write(output, "erasure", $"{portal.TotalMilliseconds:F0} ms for {erased:N0} records", $"{baseline.TotalMilliseconds:F0} ms (raw DELETE)",
            portal / baseline, "<= 1.0x the raw DELETE's time", portal <= baseline);
    }
}
