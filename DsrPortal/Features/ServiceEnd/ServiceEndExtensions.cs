namespace DsrPortal.Features.ServiceEnd;

internal static class ServiceEndExtensions
{
    public static IHostApplicationBuilder AddPortalServiceEnd(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServiceEndService>();
        builder.Services.AddSingleton<ServiceEndRunner>();
        return builder;
    }
}
