using System.Globalization;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Deletion;

/// <summary>
/// What a finished deletion did to one category, one way: read back from the audit trail's step events
/// (codes and counts only), so the request page shows what happened, not what is left.
/// </summary>
internal sealed record ErasureOutcome(string Category, ErasureAction Action, long Rows)
{
    public static async Task<IReadOnlyList<ErasureOutcome>> ReadAsync(ApplicationDbContext db, Guid requestId, CancellationToken cancellationToken = default)
    {
        var details = await db.AuditEvents.AsNoTracking()
            .Where(e => e.RequestId == requestId && e.Action == AuditActions.ErasureStep)
            .OrderBy(e => e.Sequence)
            .Select(e => e.Details)
            .ToListAsync(cancellationToken);

        var steps = new List<ErasureOutcome>();
        foreach (var json in details)
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
            if (values.GetValueOrDefault("category") is { } category
                && Enum.TryParse<ErasureAction>(values.GetValueOrDefault("action"), out var action)
                // A kept step touches nothing: what it kept is what was planned.
                && long.TryParse(values.GetValueOrDefault(action == ErasureAction.Retain ? "planned" : "rows"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rows))
            {
                // A step done again after a crash finds its rows already gone: what it did is what was planned.
                if (values.GetValueOrDefault("replayed") == "true"
                    && long.TryParse(values.GetValueOrDefault("planned"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var planned))
                {
                    rows = Math.Max(rows, planned);
                }

                steps.Add(new ErasureOutcome(category, action, rows));
            }
        }

        // One line per category and action, in the order the steps ran; a category touched in several tables adds up.
        return steps
            .GroupBy(s => (s.Category, s.Action))
            .Select(g => new ErasureOutcome(g.Key.Category, g.Key.Action, g.Sum(s => s.Rows)))
            .ToList();
    }
}
