using System.Text.Json;
using DsrPortal.Features.Branding;
using DsrPortal.Localization;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.DataSources;

/// <summary>
/// The data inventory: per category, what is held, why, who receives it, how long it is kept and where
/// it came from, as the privacy policy says (wwwroot-assets/data-inventory.json, both languages).
/// </summary>
internal sealed class DataInventory(IOptions<BrandingOptions> branding)
{
    private readonly Lazy<IReadOnlyList<Category>> categories = new(() => Load(branding.Value.ResolvedAssetsPath));

    public IReadOnlyList<Category> Categories => categories.Value;

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
        string Code, string Clause, Text Name, Text Purposes, Text Recipients, Text Retention, Text Source);

    public sealed class Text : Dictionary<string, string>
    {
        public string In(string culture) =>
            TryGetValue(PortalCultures.Normalize(culture), out var value) || TryGetValue(PortalCultures.English, out value) ? value : "";
    }

    private sealed record InventoryFile(List<Category> Categories);
}
