namespace DsrPortal.Hosting;

/// <summary>
/// Headers every response carries: no content sniffing, no referrer (links carrying a signed token must not
/// leak it to another site), no powerful browser features, and on pages a Content Security Policy with no
/// inline script: everything the portal runs comes from its own files. Anything that may hold personal
/// data (a signed-in page, the API, a download) is never stored by the browser or a proxy.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Styles allow inline attributes: MudBlazor positions popovers and sizes components with style attributes.
    /// Scripts do not: Blazor, MudBlazor, the reconnect dialog and the bot check are files.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly string[] PublicAssets = ["/_framework", "/_content", "/lib", "/js", "/assets", "/app.css", "/DsrPortal.styles.css", "/favicon.png"];

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XFrameOptions = "DENY";
                }

                var path = context.Request.Path;
                if (!PublicAssets.Any(prefix => path.StartsWithSegments(prefix)) && (context.User.Identity?.IsAuthenticated == true
                    || path.StartsWithSegments("/api") || path.StartsWithSegments("/follow") || path.StartsWithSegments("/agent-consent")))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
        return app;
    }
}
