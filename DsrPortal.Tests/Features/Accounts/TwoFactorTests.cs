using System.Net;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>Two-factor sign-in with an authenticator app, the app played by an RFC 6238 calculator.</summary>
public sealed class TwoFactorTests(TwoFactorTests.Portal portal) : IClassFixture<TwoFactorTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Fact]
    public async Task A_subject_enables_an_authenticator_and_then_needs_its_code_to_sign_in()
    {
        var client = await portal.Factory.SignedInClientAsync("guardian@demo.local");
        var setup = await (await client.GetAsync("/Account/Manage/EnableAuthenticator")).ParseAsync();
        var key = setup.QuerySelector("kbd")!.TextContent;
        Assert.NotNull(setup.QuerySelector("[data-testid=authenticator-qr] svg"));

        var enabled = await client.PostFormAsync("/Account/Manage/EnableAuthenticator", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }, "send-code");
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Contains("recovery codes", (await enabled.ParseAsync()).Body!.TextContent, StringComparison.OrdinalIgnoreCase);

        var fresh = portal.Factory.CreateBrowserLikeClient();
        var password = await fresh.PostFormAsync("/Account/Login", PortalForms.Login("guardian@demo.local", PortalForms.DemoPassword), "login");
        Assert.StartsWith("/Account/LoginWith2fa", password.RedirectPath());
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/my-data")).StatusCode);

        var wrong = await fresh.PostFormAsync(password.RedirectPath(), new Dictionary<string, string> { ["Input.TwoFactorCode"] = "000000" }, "login-with-2fa");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);

        var right = await fresh.PostFormAsync(password.RedirectPath(), new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key) }, "login-with-2fa");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/my-data")).StatusCode);
    }
}
