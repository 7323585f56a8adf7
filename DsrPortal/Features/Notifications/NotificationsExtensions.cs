using DsrPortal.Data;
using DsrPortal.Hosting;
using Microsoft.AspNetCore.Identity;

namespace DsrPortal.Features.Notifications;

internal static class NotificationsExtensions
{
    public static IHostApplicationBuilder AddPortalNotifications(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<EmailOptions>(EmailOptions.SectionName)
            .Validate(o => o.DeliveryMode != EmailDeliveryMode.Smtp || !string.IsNullOrWhiteSpace(o.Host),
                "Email:Host is required when Email:DeliveryMode is Smtp.");
        builder.Services.AddSingleton<EmailTemplates>();
        builder.Services.AddSingleton<EmailDelivery>();
        builder.Services.AddSingleton<IEmailSender<ApplicationUser>, IdentityEmailSender>();
        builder.AddValidatedOptions<OutboxOptions>(OutboxOptions.SectionName);
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<OutboxSender>();
        builder.Services.AddHostedService<OutboxWorker>();
        return builder;
    }
}
