namespace DsrPortal.Features.Preferences;

internal static class PreferencesExtensions
{
    public static IHostApplicationBuilder AddPortalPreferences(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProcessingChoices>();
        return builder;
    }
}
