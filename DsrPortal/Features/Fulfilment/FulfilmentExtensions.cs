using System.Globalization;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.Export;
using DsrPortal.Hosting;

namespace DsrPortal.Features.Fulfilment;

internal static class FulfilmentExtensions
{
    /// <summary>Exports and deletions carried out by a background worker from durable, leased jobs.</summary>
    public static IHostApplicationBuilder AddPortalFulfilment(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<FulfilmentOptions>(FulfilmentOptions.SectionName);
        Settings.SettingsExtensions.AddStored<FulfilmentOptions>(builder.Services, FulfilmentOptions.SectionName, (options, key, value) =>
        {
            switch (key)
            {
                case nameof(FulfilmentOptions.CoolingOffDays):
                    options.CoolingOffDays = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case nameof(FulfilmentOptions.ExportLinkDays):
                    options.ExportLinkDays = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        });
        var services = builder.Services;
        services.AddSingleton<FulfilmentScheduler>();
        services.AddSingleton<FulfilmentLeases>();
        services.AddSingleton<FulfilmentCompletion>();
        services.AddSingleton<FulfilmentJobs>();
        services.AddSingleton<RetryFulfilmentHandler>();
        services.AddSingleton<ExportCoverPage>();
        services.AddSingleton<ExportPackageWriter>();
        services.AddSingleton<ExportFulfilment>();
        services.AddSingleton<ExportDownloads>();
        services.AddSingleton<ErasureFulfilment>();
        services.AddSingleton<ChosenItems>();
        services.AddSingleton<Export.ExportPackages>();
        services.AddSingleton<ManualTasks.ManualTaskService>();
        services.AddSingleton<FulfilmentRunner>();
        services.AddHostedService<FulfilmentWorker>();
        return builder;
    }
}
