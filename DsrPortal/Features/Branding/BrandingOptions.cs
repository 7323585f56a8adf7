namespace DsrPortal.Features.Branding;

public sealed class BrandingOptions
{
    public const string SectionName = "Branding";

    /// <summary>
    /// The operator-editable folder (logo, theme.json, policies, email templates). Relative paths are
    /// tried against the source checkout first, then next to the binaries, where the build copies it.
    /// </summary>
    public string AssetsPath { get; set; } = "wwwroot-assets";

    /// <summary>Set at start-up to the folder actually found.</summary>
    public string ResolvedAssetsPath { get; set; } = "";
}
