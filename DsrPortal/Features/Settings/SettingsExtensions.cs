using System.Globalization;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Features.Retention;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Settings;

internal static class SettingsExtensions
{
    /// <summary>The settings a supervisor can change in the portal, each laid over its configuration section.</summary>
    public static IHostApplicationBuilder AddPortalSettings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddSingleton<PortalSecrets>();
        AddStored<DeadlineOptions>(builder.Services, DeadlineOptions.SectionName, (options, key, value) =>
        {
            switch (key)
            {
                case nameof(DeadlineOptions.Profile):
                    options.Profile = Enum.Parse<DeadlineProfile>(value);
                    break;
                case nameof(DeadlineOptions.Holidays):
                    options.Holidays = Dates(value);
                    break;
                case nameof(DeadlineOptions.WorkingWeekends):
                    options.WorkingWeekends = Dates(value);
                    break;
            }
        });
        AddStored<RetentionOptions>(builder.Services, RetentionOptions.SectionName, (options, key, value) =>
        {
            if (key == nameof(RetentionOptions.Years))
            {
                options.Years = int.Parse(value, CultureInfo.InvariantCulture);
            }
        });
        AddStored<Guardians.MinorOptions>(builder.Services, Guardians.MinorOptions.SectionName, (options, key, value) =>
        {
            if (key == nameof(Guardians.MinorOptions.AgeLimit))
            {
                options.AgeLimit = int.Parse(value, CultureInfo.InvariantCulture);
            }
        });
        return builder;
    }

    public static List<DateOnly> Dates(string value) =>
        [.. value.Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture))];

    internal static void AddStored<TOptions>(IServiceCollection services, string section, Action<TOptions, string, string> apply)
        where TOptions : class
    {
        services.AddSingleton(sp => new StoredSettings<TOptions>(sp.GetRequiredService<SettingsStore>(), section, apply));
        services.AddSingleton<IPostConfigureOptions<TOptions>>(sp => sp.GetRequiredService<StoredSettings<TOptions>>());
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(sp => sp.GetRequiredService<StoredSettings<TOptions>>());
    }
}
