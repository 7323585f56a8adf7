using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace DsrPortal.Localization;

internal static class LocalizationExtensions
{
    public static IHostApplicationBuilder AddPortalLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.AddScoped<ReaderTime>();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = PortalCultures.Supported.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture(PortalCultures.English);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            // The switch's cookie wins over the browser's Accept-Language; a query string is not honoured.
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new ChineseAwareAcceptLanguageProvider(),
            ];
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder endpoints)
    {
        // A POST with the antiforgery token (the form binding makes the framework check it): it stores a preference.
        endpoints.MapPost("/culture/set", CultureSwitchEndpoint.SetAsync).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// Browsers send zh, zh-Hans or zh-TW as often as zh-CN; all of them get Simplified Chinese
    /// rather than falling back to English.
    /// </summary>
    private sealed class ChineseAwareAcceptLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var languages = httpContext.Request.GetTypedHeaders().AcceptLanguage
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => l.Value.Value)
                .Where(l => !string.IsNullOrEmpty(l));
            foreach (var language in languages)
            {
                if (language!.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
                {
                    return Task.FromResult<ProviderCultureResult?>(new(PortalCultures.SimplifiedChinese));
                }

                if (language.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                {
                    return Task.FromResult<ProviderCultureResult?>(new(PortalCultures.English));
                }
            }

            return NullProviderCultureResult;
        }
    }
}
