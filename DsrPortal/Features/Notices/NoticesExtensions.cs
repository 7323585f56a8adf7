namespace DsrPortal.Features.Notices;

internal static class NoticesExtensions
{
    public static IHostApplicationBuilder AddPortalNotices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NoticeAudiences>();
        builder.Services.AddSingleton<NoticeService>();
        return builder;
    }
}
