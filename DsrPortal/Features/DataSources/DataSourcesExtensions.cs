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

        // One per service reached over HTTP: its own client, retried with backoff on transient failures.
        var services = builder.Configuration.GetSection($"{DataSourcesOptions.SectionName}:Http").GetChildren().ToList();
        for (var i = 0; i < services.Count; i++)
        {
            var index = i;
            var client = $"connector:{index}";
            var timeout = services[i].GetValue<TimeSpan?>("Timeout") is { TotalSeconds: >= 3 } configured ? configured : TimeSpan.FromSeconds(30);
            builder.Services.AddHttpClient(client, (sp, http) =>
                {
                    var address = sp.GetRequiredService<IOptions<DataSourcesOptions>>().Value.Http[index].BaseAddress!.ToString();
                    http.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
                    http.Timeout = timeout + TimeSpan.FromSeconds(5);
                })
                .AddStandardResilienceHandler(resilience =>
                {
                    resilience.TotalRequestTimeout.Timeout = timeout;
                    resilience.AttemptTimeout.Timeout = timeout / 3;
                    resilience.CircuitBreaker.SamplingDuration = timeout;
                    resilience.Retry.MaxRetryAttempts = 3;
                    resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
                });
            builder.Services.AddSingleton<IPersonalDataSource>(sp => new Http.HttpDataSource(
                sp.GetRequiredService<IOptions<DataSourcesOptions>>().Value.Http[index],
                () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(client),
                sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.ApplicationDbContext>>(),
                new Uri(sp.GetRequiredService<IOptions<Notifications.EmailOptions>>().Value.PortalUrl.TrimEnd('/') + "/"),
                sp.GetRequiredService<TimeProvider>()));
        }

        builder.Services.AddSingleton<PersonalData>();
        return builder;
    }
}
