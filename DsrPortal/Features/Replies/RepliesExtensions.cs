namespace DsrPortal.Features.Replies;

internal static class RepliesExtensions
{
    public static IHostApplicationBuilder AddPortalReplies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SavedReplies>();
        return builder;
    }
}
