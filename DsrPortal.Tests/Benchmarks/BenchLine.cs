using System.Globalization;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>The one line each benchmark prints, which ./bench.sh picks out of the test output.</summary>
internal static class BenchLine
{
    public static void Write(ITestOutputHelper output, string name, string figure, string baseline, double ratio, string goal, bool met) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench {name}: {figure} (baseline {baseline}, ratio {ratio:0.00}x, goal {goal}) {(met ? "met" : "missed")}"));
}
