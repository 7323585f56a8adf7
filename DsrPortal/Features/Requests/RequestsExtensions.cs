using DsrPortal.Features.Branding;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests;

internal static class RequestsExtensions
{
    public static IHostApplicationBuilder AddPortalRequests(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DeadlineOptions>(DeadlineOptions.SectionName)
            .PostConfigure<IOptions<BrandingOptions>>((o, branding) =>
                o.ResolvedCalendarFile = DeadlineOptionsValidator.ResolveCalendarFile(o.CalendarFile, branding.Value.ResolvedAssetsPath));
        builder.Services.AddSingleton<IValidateOptions<DeadlineOptions>, DeadlineOptionsValidator>();
        builder.Services.AddSingleton(sp => new DeadlineCalculator(sp.GetRequiredService<IOptionsMonitor<DeadlineOptions>>()));
        // A calendar running out is a warning: readiness stays 200, so load balancers keep the instance.
        builder.Services.AddHealthChecks()
            .AddCheck<CalendarCoverageCheck>("deadline-calendars", HealthStatus.Degraded, [HealthExtensions.ReadyTag]);
        builder.Services.AddSingleton<RequestChangeNotifier>();
        builder.Services.AddSingleton<RequestAccess>();
        builder.Services.AddSingleton<RequestUnitOfWork>();
        builder.Services.AddSingleton<RequestWorkflow>();
        builder.Services.AddSingleton<Queue.QueueBulk>();
        builder.Services.AddSingleton<Corrections.CorrectionWorkflow>();
        return builder;
    }
}
