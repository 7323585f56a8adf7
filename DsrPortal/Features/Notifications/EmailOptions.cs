using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace DsrPortal.Features.Notifications;

public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>Pickup writes .eml files (development); Smtp delivers through an SMTP server.</summary>
    public EmailDeliveryMode DeliveryMode { get; set; } = EmailDeliveryMode.Pickup;

    /// <summary>Folder for Pickup mode; relative paths are under the content root.</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail-pickup";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable (MailKit's names).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Leave empty for servers without authentication. Set the password through user-secrets or the environment.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "privacy@demo.local";

    public string FromName { get; set; } = "Privacy Portal";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The portal's public address, for the links in request emails.</summary>
    [Required, Url]
    public string PortalUrl { get; set; } = "http://localhost:5183";
}

public enum EmailDeliveryMode
{
    Pickup,
    Smtp,
}
