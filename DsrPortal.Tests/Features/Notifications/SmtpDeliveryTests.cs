using DsrPortal.Data;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace DsrPortal.Tests.Features.Notifications;

/// <summary>MailKit talking SMTP to a real listener on loopback; the messages are read back from it.</summary>
public sealed class SmtpDeliveryTests : IAsyncLifetime
{
    private SmtpListener smtp = null!;
    private PortalFactory factory = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpListener.StartAsync();
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Email:DeliveryMode"] = "Smtp",
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = smtp.Port.ToString(),
            ["Email:Security"] = "None",
            ["Email:FromAddress"] = "privacy@demo-social.example",
            ["Email:FromName"] = "Demo Social Privacy",
        });
        _ = factory.Server;
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task Registration_sends_the_confirmation_over_SMTP_in_the_registrants_language()
    {
        var client = factory.CreateBrowserLikeClient("zh-CN");

        await client.PostFormAsync("/Account/Register", PortalForms.Registration("li.lei@example.com"), "register");

        var message = await smtp.WaitForMessageAsync("li.lei@example.com");
        Assert.Equal("privacy@demo-social.example", message.From.Mailboxes.Single().Address);
        Assert.Contains("请确认", message.Subject);
        Assert.Contains("Xiaohong，您好", message.HtmlBody);
        Assert.Contains("确认我的电子邮箱", message.TextBody);
        var link = message.LinkTo("/Account/ConfirmEmail");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(link.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task A_password_reset_link_arrives_in_English_for_an_English_user()
    {
        var sender = factory.Services.GetRequiredService<IEmailSender<ApplicationUser>>();
        var user = new ApplicationUser { Nickname = "Lin & <Co>", PreferredCulture = "en" };

        await sender.SendPasswordResetLinkAsync(user, "lin@example.com", "https://portal.example/Account/ResetPassword?code=a&amp;b=c");

        var message = await smtp.WaitForMessageAsync("lin@example.com");
        Assert.Equal("Reset your Demo Social Privacy Portal password", message.Subject);
        // Values are HTML-encoded exactly once: the nickname cannot inject markup, the link keeps its query.
        Assert.Contains("Hello Lin &amp; &lt;Co&gt;,", message.HtmlBody);
        Assert.Equal("https://portal.example/Account/ResetPassword?code=a&b=c", message.LinkTo("ResetPassword").ToString());
    }
}
