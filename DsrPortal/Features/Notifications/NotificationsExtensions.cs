using DsrPortal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Notifications;

internal static class NotificationsExtensions
{
    public static IHostApplicationBuilder AddPortalNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .Bind(builder.Configuration.GetSection(EmailOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.DeliveryMode != EmailDeliveryMode.Smtp || !string.IsNullOrWhiteSpace(o.Host),
                "Email:Host is required when Email:DeliveryMode is Smtp.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EmailTemplates>();
        builder.Services.AddSingleton<EmailDelivery>();
        builder.Services.AddSingleton<IEmailSender<ApplicationUser>, IdentityEmailSender>();
        return builder;
    }
}
