using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

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
        // One connector per configured source, built from the validated settings; only their number is read here.
        var sources = builder.Configuration.GetSection($"{DataSourcesOptions.SectionName}:Sql").GetChildren().Count();
        var contentRoot = builder.Environment.ContentRootPath;
        for (var i = 0; i < sources; i++)
        {
            var index = i;
            builder.Services.AddSingleton<IPersonalDataSource>(sp => new SqlDataSource(
                sp.GetRequiredService<IOptions<DataSourcesOptions>>().Value.Sql[index], $"{DataSourcesOptions.SectionName}:Sql:{index}",
                contentRoot, sp.GetRequiredService<Pseudonymizer>()));
        }

        builder.Services.AddSingleton<PersonalData>();
        return builder;
    }
}
