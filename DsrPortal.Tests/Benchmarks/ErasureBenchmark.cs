using System.Diagnostics;
using DsrPortal.Features.DataSources;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// Erasure of a subject's 200,000 reading records by the portal's plan (set-based steps), against a raw
/// <c>DELETE</c> of the same rows on an identical copy of the database, in the same run. The ratio is of times:
/// at 1 the portal costs exactly the raw statement.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "erasure")]
public sealed class ErasureBenchmark(ITestOutputHelper output) : ReadingRecordsBench(Records)
{
    private const int Records = 200_000;
    private const int Rounds = 3;

    // The portal's deletion is that very DELETE plus a count to plan it: it can only match the statement, never beat
    // it, so the goal is to add no per-row work, with room for the count and this machine's run-to-run noise.
    private const double MaxRatio = 1.25;
    [Fact]
    public async Task Erasure_of_two_hundred_thousand_records()
    {
        // Each round starts from the same seeded database: the portal erases the live copy, the raw DELETE a twin.
        var pristine = Path.Combine(Factory.Folder, "pristine.db");
        Vacuum(Factory.ServiceDatabasePath, pristine);
        var subject = await Factory.ActorAsync("subject@demo.local");
        var data = Factory.Services.GetRequiredService<PersonalData>();
        var keys = (await data.KeysAsync(subject.UserId, CancellationToken.None))!;

        var portalTimes = new List<TimeSpan>();
        var baselineTimes = new List<TimeSpan>();
        var planTimes = new List<TimeSpan>();
        long erased = 0;
        int steps = 0;
        for (var round = 0; round < Rounds; round++)
        {
            SqliteConnection.ClearAllPools();
            File.Copy(pristine, Factory.ServiceDatabasePath, overwrite: true);
            var watch = Stopwatch.StartNew();
            var plan = await data.PlanErasureAsync(keys, new HashSet<string> { "ReadingRecords" }, CancellationToken.None);
            planTimes.Add(watch.Elapsed);
            erased = 0;
            foreach (var step in plan)
            {
                erased += await data.Source(step.Source).EraseAsync(step, CancellationToken.None);
            }

            portalTimes.Add(watch.Elapsed);
            steps = plan.Count;
            Assert.Equal(0, Factory.CountForUserId("reading_records", ServiceUserId));

            var twin = Path.Combine(Factory.Folder, $"baseline-{round}.db");
            File.Copy(pristine, twin, overwrite: true);
            using var raw = new SqliteConnection($"Data Source={twin};Pooling=false");
            raw.Open();
            using var delete = raw.CreateCommand();
            delete.CommandText = "DELETE FROM reading_records WHERE user_id = @user";
            delete.Parameters.AddWithValue("@user", ServiceUserId);
            watch.Restart();
            var deleted = delete.ExecuteNonQuery();
            baselineTimes.Add(watch.Elapsed);
            Assert.Equal(deleted, erased);
        }

        var portal = portalTimes.Order().ElementAt(Rounds / 2);
        var baseline = baselineTimes.Order().ElementAt(Rounds / 2);
        var planning = planTimes.Order().ElementAt(Rounds / 2);
        output.WriteLine($"erasure: {erased:N0} records in {steps} set-based step(s); of the portal's time, {planning.TotalMilliseconds:F0} ms is the plan (counting what each step will erase, for the journal); medians of {Rounds} rounds on fresh copies");
        BenchLine.Write(output, "erasure", $"{portal.TotalMilliseconds:F0} ms for {erased:N0} records", $"{baseline.TotalMilliseconds:F0} ms (raw DELETE)",
            portal / baseline, "<= 1.25x the raw DELETE's time", portal / baseline <= MaxRatio);
    }

    private static void Vacuum(string from, string to)
    {
        using var source = new SqliteConnection($"Data Source={from};Pooling=false");
        source.Open();
        using var vacuum = source.CreateCommand();
        vacuum.CommandText = $"VACUUM INTO '{to}'";
        vacuum.ExecuteNonQuery();
    }
}
