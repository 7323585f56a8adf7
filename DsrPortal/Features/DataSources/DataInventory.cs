using System.Text.Json;
using DsrPortal.Features.Branding;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.DataSources;

/// <summary>
/// The data inventory: per category, what is held, why, who receives it, how long it is kept and where
/// it came from, as the privacy policy says (wwwroot-assets/data-inventory.json, both languages).
/// Category codes are the ones data sources report their records under.
/// </summary>
internal sealed class DataInventory(IOptions<BrandingOptions> branding, IOptions<Sql.DataSourcesOptions> sources)
{
    private readonly Lazy<IReadOnlyList<Category>> categories = new(() => Merge(Load(branding.Value.ResolvedAssetsPath), sources.Value));

    public IReadOnlyList<Category> Categories => categories.Value;

    public Category Find(string code) => Categories.FirstOrDefault(c => c.Code == code) ?? Unlisted(code);

    /// <summary>A category a source reports but the inventory does not describe: shown by its code, so nothing held goes unseen.</summary>
    public static Category Unlisted(string code)
    {
        var text = new LocalizedText { ["en"] = code };
        return new Category(code, "", text, new LocalizedText(), new LocalizedText(), new LocalizedText(), new LocalizedText());
    }

    /// <summary>What a source's table (SQL) or category (HTTP) says about its category overrides the file, field by field.</summary>
    private static IReadOnlyList<Category> Merge(IReadOnlyList<Category> file, Sql.DataSourcesOptions sources)
    {
        var merged = file.ToList();
        var described = sources.Sql.SelectMany(s => s.Tables)
            .Select(t => (t.Category, t.Clause, t.Name, t.Purposes, t.Recipients, t.Retention, t.Source))
            .Concat(sources.Http.SelectMany(s => s.Categories).Concat(sources.Manual.SelectMany(s => s.Categories))
                .Select(c => (c.Category, c.Clause, c.Name, c.Purposes, c.Recipients, c.Retention, c.Source)));
        foreach (var table in described)
        {
            var index = merged.FindIndex(c => c.Code == table.Category);
            var basis = index >= 0 ? merged[index] : Unlisted(table.Category);
            var category = basis with
            {
                Clause = table.Clause ?? basis.Clause,
                Name = table.Name ?? basis.Name,
                Purposes = table.Purposes ?? basis.Purposes,
                Recipients = table.Recipients ?? basis.Recipients,
                Retention = table.Retention ?? basis.Retention,
                Source = table.Source ?? basis.Source,
            };
            if (index >= 0)
            {
                merged[index] = category;
            }
            else
            {
                merged.Add(category);
            }
        }

        return merged;
    }

    private static IReadOnlyList<Category> Load(string assets)
    {
        var path = Path.Combine(assets, "data-inventory.json");
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<InventoryFile>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        return file?.Categories ?? [];
    }

    public sealed record Category(
        string Code, string Clause, LocalizedText Name, LocalizedText Purposes, LocalizedText Recipients, LocalizedText Retention, LocalizedText Source);

    private sealed record InventoryFile(List<Category> Categories);
}
