using DsrPortal.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Branding;

internal static class BrandingExtensions
{
    public static IHostApplicationBuilder AddPortalBranding(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.AddValidatedOptions<BrandingOptions>(BrandingOptions.SectionName)
            .PostConfigure(o => o.ResolvedAssetsPath = ResolveAssetsPath(o.AssetsPath, contentRoot))
            .Validate(o => Directory.Exists(o.ResolvedAssetsPath), "Branding:AssetsPath does not name an existing folder.");
        builder.Services.AddSingleton(sp => BrandingTheme.Load(sp.GetRequiredService<IOptions<BrandingOptions>>()));
        return builder;
    }

    /// <summary>Serves the logo and policy documents under /assets; templates and theme.json stay private.</summary>
    public static WebApplication UsePortalAssets(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<BrandingOptions>>().Value.ResolvedAssetsPath;
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Clear();
        types.Mappings[".svg"] = "image/svg+xml";
        types.Mappings[".png"] = "image/png";
        types.Mappings[".ico"] = "image/x-icon";
        types.Mappings[".css"] = "text/css";
        types.Mappings[".txt"] = "text/plain; charset=utf-8";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(path),
            RequestPath = "/assets",
            ContentTypeProvider = types,
        });
        return app;
    }

    internal static string ResolveAssetsPath(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        var candidates = new[]
        {
            Path.GetFullPath(Path.Combine(contentRoot, "..", configured)),
            Path.GetFullPath(Path.Combine(contentRoot, configured)),
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, configured)),
        };
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[^1];
    }
}
