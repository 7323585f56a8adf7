namespace DsrPortal.Features.Demo;

internal static class DemoDataExtensions
{
    public static IHostApplicationBuilder AddPortalDemoData(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<DemoDataOptions>(builder.Configuration.GetSection(DemoDataOptions.SectionName));
        builder.Services.AddScoped<DemoDataSeeder>();
        builder.Services.AddSingleton<DemoRequestSeeder>();
        builder.Services.AddSingleton<DataSources.ServiceDatabase.DemoServiceDatabase>();
        return builder;
    }
}
