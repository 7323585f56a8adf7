using System.Net;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Accounts;

public sealed class AccessTests(AccessTests.Portal portal) : IClassFixture<AccessTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Theory]
    [InlineData("/queue")]
    [InlineData("/my-data")]
    [InlineData("/staff")]
    public async Task Anonymous_visitors_are_sent_to_sign_in(string path)
    {
        var response = await portal.Factory.CreateBrowserLikeClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.RedirectPath());
    }

    [Theory]
    [InlineData("subject@demo.local", "/queue", false)]
    [InlineData("subject@demo.local", "/my-data", true)]
    [InlineData("subject@demo.local", "/requests", true)]
    [InlineData("agent@demo.local", "/queue", true)]
    [InlineData("agent@demo.local", "/reports", false)]
    [InlineData("agent@demo.local", "/my-data", false)]
    [InlineData("supervisor@demo.local", "/queue", true)]
    [InlineData("supervisor@demo.local", "/reports", true)]
    [InlineData("supervisor@demo.local", "/audit", true)]
    [InlineData("supervisor@demo.local", "/staff", true)]
    [InlineData("supervisor@demo.local", "/settings", true)]
    [InlineData("supervisor@demo.local", "/policies", true)]
    [InlineData("agent@demo.local", "/policies", false)]
    public async Task Each_role_reaches_its_own_pages_and_is_refused_the_others(string email, string path, bool allowed)
    {
        var client = await portal.Factory.SignedInClientAsync(email);

        var response = await client.GetAsync(path);

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.RedirectPath());
            var denied = await client.GetStringAsync(response.Headers.Location);
            Assert.Contains("data-testid=\"access-denied\"", denied);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        HttpResponseMessage response = null!;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            response = await client.PostFormAsync("/Account/Login", PortalForms.Login("guardian@demo.local", "not the password at all"), "login");
        }

        Assert.Equal("/Account/Lockout", response.RedirectPath());

        // Even the right password is refused while the lock lasts.
        var correct = await client.PostFormAsync("/Account/Login", PortalForms.Login("guardian@demo.local", PortalForms.DemoPassword), "login");
        Assert.Equal("/Account/Lockout", correct.RedirectPath());
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_telling_which_part_was_wrong()
    {
        var response = await portal.Factory.CreateBrowserLikeClient()
            .PostFormAsync("/Account/Login", PortalForms.Login("nobody@example.com", "whatever password"), "login");

        var message = (await response.ParseAsync()).QuerySelector("[data-testid=status-message]")!.TextContent;
        Assert.Contains("the email or password is not correct", message);
    }
}
