using DsrPortal.Components;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Api;
using DsrPortal.Features.Branding;
using DsrPortal.Features.Deceased;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.DataSources.Http;
using DsrPortal.Features.Disputes;
using DsrPortal.Features.Export;
using DsrPortal.Features.Guardians;
using DsrPortal.Features.Intake;
using DsrPortal.Features.Agents;
using DsrPortal.Features.Reports;
using DsrPortal.Localization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using MudBlazor.Services;

namespace DsrPortal.Hosting;

internal static class UiExtensions
{
    public static IHostApplicationBuilder AddPortalUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddTransient<MudBlazor.MudLocalizer, Localization.PortalMudLocalizer>();
        // Chinese text goes out as characters, not as &#x...; entities: smaller pages, readable source.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddDatabaseDeveloperPageExceptionFilter();
        }

        // Behind a reverse proxy, the client's address and scheme come from X-Forwarded-For and -Proto,
        // believed only from the proxies named here (loopback always): the login rate limit then counts
        // each client, not the proxy.
        builder.AddValidatedOptions<ReverseProxyOptions>(ReverseProxyOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((options, proxy) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var address in proxy.Value.KnownProxies)
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            }
        });
        return builder;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UsePortalApiProblems();
        app.UseRequestLocalization();
        app.UsePortalAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<MustChangePasswordMiddleware>();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().LimitPublicForms();
        app.MapAdditionalIdentityEndpoints();
        app.MapCultureSwitch();
        app.MapPortalHealthChecks();
        app.MapPortalReports();
        app.MapPortalExports();
        app.MapChosenItemPreviews();
        app.MapPortalGuardians();
        app.MapPortalDeceased();
        app.MapPortalDisputes();
        app.MapPortalApi();
        app.MapConnectorCallbacks();
        app.MapPortalIntake();
        app.MapPortalAgents();
        return app;
    }
}
