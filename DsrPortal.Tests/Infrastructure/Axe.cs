using System.Text.Json;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// axe-core run on a page straight through Playwright: the bundled axe script evaluated once per document, then
/// <c>axe.run</c> asked for violations only. The same engine and rules as Deque's <c>RunAxe</c>, whose own
/// wrapping (injection and result conversion) costs several seconds a scan on this machine against a few
/// hundred milliseconds for the scan itself.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Script = new(() => new Deque.AxeCore.Commons.BundledAxeScriptProvider().GetScript());

    public sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Nodes)
    {
        public override string ToString() => $"{Id} ({Impact}) {Help} at {string.Join(" | ", Nodes)}";
    }

    /// <summary>Every violation of any impact on the page as it is now; nodes abbreviated to their first three.</summary>
    public static async Task<IReadOnlyList<Violation>> ViolationsAsync(this IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Script.Value);
        }

        var found = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({
                id: v.id, impact: v.impact ?? '', help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.html.length > 160 ? n.html.slice(0, 160) : n.html),
            }))
            """);
        return [.. found.EnumerateArray().Select(v => new Violation(
            v.GetProperty("id").GetString()!, v.GetProperty("impact").GetString()!, v.GetProperty("help").GetString()!,
            [.. v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()!)]))];
    }
}
