using DsrPortal.Hosting;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests;

internal static class RequestsExtensions
{
    public static IHostApplicationBuilder AddPortalRequests(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DeadlineOptions>(DeadlineOptions.SectionName)
            .Validate(o => Enum.IsDefined(o.Profile), "Deadlines:Profile must be CN, GDPR or CCPA.")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Deadlines:TimeZone must be an IANA time zone such as Asia/Shanghai.");
        builder.Services.AddSingleton(sp => new DeadlineCalculator(sp.GetRequiredService<IOptionsMonitor<DeadlineOptions>>()));
        builder.Services.AddSingleton<RequestChangeNotifier>();
        builder.Services.AddSingleton<RequestAccess>();
        builder.Services.AddSingleton<RequestUnitOfWork>();
        builder.Services.AddSingleton<RequestWorkflow>();
        builder.Services.AddSingleton<Corrections.CorrectionWorkflow>();
        return builder;
    }
}
