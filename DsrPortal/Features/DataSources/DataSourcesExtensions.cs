using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Hosting;

namespace DsrPortal.Features.DataSources;

internal static class DataSourcesExtensions
{
    /// <summary>The inventory, the portal's own data, and one connector per configured SQL source.</summary>
    public static IHostApplicationBuilder AddPortalDataSources(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DataSourcesOptions>(DataSourcesOptions.SectionName);
        builder.Services.AddSingleton<DataInventory>();
        builder.Services.AddSingleton<Pseudonymizer>();
        builder.Services.AddSingleton<IPersonalDataSource, PortalDataSource>();
        var configured = builder.Configuration.GetSection(DataSourcesOptions.SectionName).Get<DataSourcesOptions>() ?? new DataSourcesOptions();
        var contentRoot = builder.Environment.ContentRootPath;
        foreach (var source in configured.Sql)
        {
            builder.Services.AddSingleton<IPersonalDataSource>(sp => new SqlDataSource(source, contentRoot, sp.GetRequiredService<Pseudonymizer>()));
        }

        builder.Services.AddSingleton<PersonalData>();
        return builder;
    }
}
