using DsrPortal.Hosting;

namespace DsrPortal.Features.Reminders;

internal static class RemindersExtensions
{
    public static IHostApplicationBuilder AddPortalReminders(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<ReminderOptions>(ReminderOptions.SectionName);
        builder.Services.AddSingleton<RequesterChase>();
        builder.Services.AddSingleton<StaffDigests>();
        builder.Services.AddHostedService<ReminderWorker>();
        return builder;
    }
}
