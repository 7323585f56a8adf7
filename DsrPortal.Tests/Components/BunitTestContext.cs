using System.Globalization;
using Bunit;
using DsrPortal.Features.Branding;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace DsrPortal.Tests.Components;

/// <summary>bUnit with MudBlazor, the portal's localization and a chosen UI culture.</summary>
public abstract class BunitTestContext : BunitContext, IAsyncLifetime
{
    private readonly CultureInfo originalCulture = CultureInfo.CurrentUICulture;

    protected BunitTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton(Options.Create(new BrandingOptions { ResolvedAssetsPath = Infrastructure.RepoPaths.Assets }));
        Services.AddSingleton(sp => BrandingTheme.Load(sp.GetRequiredService<IOptions<BrandingOptions>>()));
    }

    /// <summary>Renders as the live circuit does; call after every service (authorization included) is added.</summary>
    protected IRenderedComponent<TComponent> RenderInteractive<TComponent>()
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return Render<TComponent>();
    }

    protected static void UseCulture(string name)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(name);
        CultureInfo.CurrentCulture = new CultureInfo(name);
    }

    protected IRenderedComponent<MudPopoverProvider> RenderProviders() => RenderInteractive<MudPopoverProvider>();

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        CultureInfo.CurrentUICulture = originalCulture;
        CultureInfo.CurrentCulture = originalCulture;
        await DisposeAsync();
    }
}
