using System.Text.Json;
using DsrPortal.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace DsrPortal.Features.Branding;

/// <summary>theme.json from the assets folder: names, colours and logo an operator changes without code.</summary>
internal sealed class BrandingTheme
{
    public Dictionary<string, string> ProductName { get; set; } = new() { ["en"] = "Privacy Portal" };

    public Dictionary<string, string> CompanyName { get; set; } = new() { ["en"] = "" };

    public string PrimaryColor { get; set; } = "#1565C0";

    public string SecondaryColor { get; set; } = "#00897B";

    public string Logo { get; set; } = "logo.svg";

    public string LocalizedProductName => ProductNameIn(PortalCultures.Current);

    public string LocalizedCompanyName => CompanyNameIn(PortalCultures.Current);

    public string ProductNameIn(string culture) => Pick(ProductName, culture);

    public string CompanyNameIn(string culture) => Pick(CompanyName, culture);

    public MudTheme ToMudTheme() => new()
    {
        // Status colours dark enough for small text on white (WCAG AA, 4.5:1); MudBlazor's defaults are lighter.
        PaletteLight = new PaletteLight
        {
            Primary = PrimaryColor,
            Secondary = SecondaryColor,
            AppbarBackground = PrimaryColor,
            Success = "#2E7D32",
            Warning = "#A15C00",
            Error = "#C62828",
            Info = "#1565C0",
        },
    };

    private static string Pick(Dictionary<string, string> values, string culture) =>
        values.TryGetValue(PortalCultures.Normalize(culture), out var value) || values.TryGetValue(PortalCultures.English, out value)
            ? value
            : values.Values.FirstOrDefault() ?? "";

    public static BrandingTheme Load(IOptions<BrandingOptions> options)
    {
        var path = Path.Combine(options.Value.ResolvedAssetsPath, "theme.json");
        if (!File.Exists(path))
        {
            return new BrandingTheme();
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<BrandingTheme>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? new BrandingTheme();
    }
}
