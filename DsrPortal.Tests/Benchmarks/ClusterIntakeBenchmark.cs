using System.Diagnostics;
using DsrPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>
/// API intake over PostgreSQL on one instance and on two (each on Kestrel, the load split evenly between them, the
/// same database): the same callers, the same requests. Baseline, in the same run: one instance over PostgreSQL. The
/// SQLite figure of <c>./bench.sh intake</c> is the single-machine reference. On one machine the instances share its
/// cores with PostgreSQL, so the figure shows the cost of coordination (LISTEN/NOTIFY, shared audit head) more than scaling.
/// </summary>
[Trait("Category", "Benchmark")]
[Trait("Bench", "cluster")]
public sealed class ClusterIntakeBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Subjects = 100;
    private const int Warmup = 300;
    private const int Measured = 3000;

    private readonly PostgresCluster cluster = new();
    private readonly List<PortalFactory> instances = [];
    private readonly List<Uri> addresses = [];
    private List<string> tokens = [];

    public async Task InitializeAsync()
    {
        await cluster.InitializeAsync();
        var settings = await cluster.SharedPortalSettingsAsync();
        settings["Outbox:WorkerEnabled"] = "false";
        settings["Api:LoginAttemptsPerMinute"] = "100000";
        settings["Logging:LogLevel:Default"] = "Error";
        for (var i = 0; i < 2; i++)
        {
            var instance = new PortalFactory(new Dictionary<string, string?>(settings));
            addresses.Add(instance.StartOnKestrel());
            instances.Add(instance);
        }

        var watch = Stopwatch.StartNew();
        tokens = await IntakeLoad.SubjectsAsync(instances[0], addresses[0], Subjects);
        output.WriteLine($"registered and signed in {Subjects} subjects in {watch.ElapsedMilliseconds} ms");
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task Intake_on_one_and_two_instances_over_PostgreSQL()
    {
        using var first = IntakeLoad.Client(addresses[0]);
        using var second = IntakeLoad.Client(addresses[1]);
        // Tokens issued by the first instance are honoured by the second: the keys are shared through the database.
        await IntakeLoad.RunAsync([first, second], tokens, Warmup);

        var one = await IntakeLoad.RunAsync([first], tokens, Measured);
        var two = await IntakeLoad.RunAsync([first, second], tokens, Measured);
        double Rate((List<double> Latencies, int Accepted, int Failed, TimeSpan Elapsed) run) => run.Accepted / run.Elapsed.TotalSeconds;
        double P99(List<double> latencies) => latencies.Order().ElementAt((int)Math.Ceiling(latencies.Count * 0.99) - 1);
        output.WriteLine($"one instance: {Rate(one):F0}/s, p99 {P99(one.Latencies):F0} ms, {one.Failed} failed");
        output.WriteLine($"two instances: {Rate(two):F0}/s, p99 {P99(two.Latencies):F0} ms, {two.Failed} failed");
        BenchLine.Write(output, "cluster", $"two instances {Rate(two):F0} requests/s, p99 {P99(two.Latencies):F0} ms, {two.Failed} failed",
            $"one instance {Rate(one):F0} requests/s", Rate(two) / Rate(one),
            ">= 0.8x of one instance on one machine, 0 failed", Rate(two) >= 0.8 * Rate(one) && one.Failed + two.Failed == 0);
        Assert.Equal(0, one.Failed + two.Failed);
    }
}
