using DsrPortal.Hosting;

namespace DsrPortal.Features.Guardians;

internal static class GuardiansExtensions
{
    public static IHostApplicationBuilder AddPortalGuardians(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<MinorOptions>(MinorOptions.SectionName);
        builder.Services.AddSingleton<GuardianService>();
        return builder;
    }
}
