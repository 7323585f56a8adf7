namespace DsrPortal.Features.Retention;

internal static class RetentionExtensions
{
    public static IHostApplicationBuilder AddPortalRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RetentionPurger>();
        builder.Services.AddHostedService<RetentionWorker>();
        return builder;
    }
}
