using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DsrPortal.Features.Notifications;

/// <summary>Hands a finished message to the configured transport: an .eml pickup folder or SMTP.</summary>
internal sealed class EmailDelivery(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<EmailDelivery> logger)
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (message.From.Count == 0)
        {
            message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        }

        if (settings.DeliveryMode == EmailDeliveryMode.Pickup)
        {
            await WriteToPickupAsync(message, settings, cancellationToken);
            return;
        }

        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        // The message id only: recipients and subjects are personal data.
        logger.LogInformation("Email {MessageId} delivered over SMTP", message.MessageId);
    }

    private async Task WriteToPickupAsync(MimeMessage message, EmailOptions settings, CancellationToken cancellationToken)
    {
        await Hosting.PickupFolder.WriteAsync(settings.PickupDirectory, environment.ContentRootPath, ".eml",
            path => message.WriteToAsync(path, cancellationToken));
        logger.LogInformation("Email {MessageId} written to the pickup folder", message.MessageId);
    }
}
