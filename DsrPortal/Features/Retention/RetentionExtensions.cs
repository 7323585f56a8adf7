using DsrPortal.Hosting;

namespace DsrPortal.Features.Retention;

internal static class RetentionExtensions
{
    public static IHostApplicationBuilder AddPortalRetention(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);
        builder.Services.AddSingleton<RetentionPurger>();
        builder.Services.AddHostedService<RetentionWorker>();
        return builder;
    }
}
