namespace DsrPortal.Features.DataSources;

internal static class DataSourcesExtensions
{
    public static IHostApplicationBuilder AddPortalDataSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DataInventory>();
        return builder;
    }
}
