namespace DsrPortal.Features.Guardians;

internal static class GuardiansExtensions
{
    public static IHostApplicationBuilder AddPortalGuardians(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MinorOptions>()
            .Bind(builder.Configuration.GetSection(MinorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
