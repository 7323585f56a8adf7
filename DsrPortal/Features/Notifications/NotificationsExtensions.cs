using DsrPortal.Data;
using Microsoft.AspNetCore.Identity;

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
        builder.Services.AddOptions<OutboxOptions>()
            .Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<OutboxSender>();
        builder.Services.AddHostedService<OutboxWorker>();
        return builder;
    }
}
