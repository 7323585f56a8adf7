using DsrPortal.Hosting;

namespace DsrPortal.Features.Demo;

internal static class DemoDataExtensions
{
    public static IHostApplicationBuilder AddPortalDemoData(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DemoDataOptions>(DemoDataOptions.SectionName)
            .Validate(o => o.ServiceUsers is >= 0 and <= 10_000_000, "DemoData:ServiceUsers must be a whole number from 0 to 10000000.");
        builder.Services.AddScoped<DemoDataSeeder>();
        builder.Services.AddSingleton<DemoRequestSeeder>();
        builder.Services.AddSingleton<DataSources.ServiceDatabase.DemoServiceDatabase>();
        return builder;
    }
}
