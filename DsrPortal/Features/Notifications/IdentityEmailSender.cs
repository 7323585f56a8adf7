using System.Net;
using DsrPortal.Data;
using Microsoft.AspNetCore.Identity;

namespace DsrPortal.Features.Notifications;

/// <summary>Identity's account emails (confirm, reset) from the templates, in the recipient's language.</summary>
internal sealed class IdentityEmailSender(EmailTemplates templates, EmailDelivery delivery) : IEmailSender<ApplicationUser>
{
    // Identity hands links over HTML-encoded; the templates encode values themselves, so decode first.
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        SendAsync("confirm-email", user, email, new() { ["Nickname"] = user.Nickname, ["Link"] = WebUtility.HtmlDecode(confirmationLink) });

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        SendAsync("reset-password", user, email, new() { ["Nickname"] = user.Nickname, ["Link"] = WebUtility.HtmlDecode(resetLink) });

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        SendAsync("reset-password-code", user, email, new() { ["Nickname"] = user.Nickname, ["Code"] = resetCode });

    private async Task SendAsync(string template, ApplicationUser user, string email, Dictionary<string, string> values)
    {
        var message = await templates.RenderAsync(template, user.PreferredCulture, email, values);
        await delivery.SendAsync(message);
    }
}
