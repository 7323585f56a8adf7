using System.Diagnostics;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Export;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// The export of a subject with 400,000 reading records: the whole package (JSON, CSV, media, cover page, manifest,
/// zipped and hashed) against <c>sqlite3 -json</c> writing the same rows to a file, in the same run. Heap growth is the
/// managed heap's peak during the export over its size before (sampled every 20 ms), the part of memory that would
/// grow with the subject's data if the export did not stream.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "export")]
public sealed class ExportBenchmark(ITestOutputHelper output) : ReadingRecordsBench(Records)
{
    private const int Records = 400_000;
    private const int WarmUps = 3;
    private const int Runs = 5;
    [Fact]
    public async Task Export_of_a_subject_with_four_hundred_thousand_records()
    {
        var subject = await Factory.ActorAsync("subject@demo.local");
        var data = Factory.Services.GetRequiredService<PersonalData>();
        var keys = (await data.KeysAsync(subject.UserId, CancellationToken.None))!;
        var path = Path.Combine(Factory.Folder, "bench.zip");
        var writer = Factory.Services.GetRequiredService<ExportPackageWriter>();

        // Warmed up first: the export worker runs package after package, so the figure is the steady state, with the
        // hot loops compiled at their final tier (the first package or two run partly on unoptimized code).
        for (var i = 0; i < WarmUps; i++)
        {
            await using var warm = File.Create(path);
            await writer.WriteAsync(warm, keys, "DSR-2026-000001", "en", DateTimeOffset.UtcNow);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(20);
            }
        });
        var times = new List<TimeSpan>();
        ExportManifest manifest = null!;
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var file = File.Create(path))
            {
                manifest = await writer.WriteAsync(file, keys, "DSR-2026-000001", "en", DateTimeOffset.UtcNow);
            }

            times.Add(watch.Elapsed);
        }

        var portal = Median(times);
        await sampling.CancelAsync();
        await sampler;
        var records = manifest.Categories.Sum(c => c.Records);
        Assert.True(records > Records);

        var rows = Factory.CountForUserId("reading_records", ServiceUserId);
        var baseline = Median([.. Enumerable.Range(0, Runs).Select(_ => SqliteJson(ServiceUserId, Path.Combine(Factory.Folder, "baseline.json")))]);
        var growthMb = (peak - before) / (1024.0 * 1024.0);
        var portalRate = records / portal.TotalSeconds;
        var baselineRate = rows / baseline.TotalSeconds;
        output.WriteLine($"export: {records:N0} records ({new FileInfo(path).Length / 1024:N0} KB zipped) in {portal.TotalMilliseconds:F0} ms; sqlite3 -json: {rows:N0} rows in {baseline.TotalMilliseconds:F0} ms (medians of {Runs} after {WarmUps} warm-ups)");
        BenchLine.Write(output, "export", $"{portalRate:N0} records/s, heap growth {growthMb:F0} MB", $"{baselineRate:N0} rows/s (sqlite3 -json)",
            portalRate / baselineRate, ">= 0.5x, heap growth < 50 MB", portalRate / baselineRate >= 0.5 && growthMb < 50);
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    /// <summary>The same rows, in the same order, as JSON in a file: the database's own speed.</summary>
    private TimeSpan SqliteJson(long userId, string outputPath)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-json");
        start.ArgumentList.Add(Factory.ServiceDatabasePath);
        start.ArgumentList.Add($".output {outputPath}");
        start.ArgumentList.Add($"SELECT * FROM reading_records WHERE user_id = {userId} ORDER BY id");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return watch.Elapsed;
    }
}
