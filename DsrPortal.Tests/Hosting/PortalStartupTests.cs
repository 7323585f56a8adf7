using System.Net;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Hosting;

public sealed class PortalStartupTests(PortalStartupTests.Portal portal) : IClassFixture<PortalStartupTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    [InlineData("/privacy-policy")]
    public async Task Public_pages_answer(string path)
    {
        var response = await portal.Factory.CreateBrowserLikeClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_healthy(string path)
    {
        var response = await portal.Factory.CreateBrowserLikeClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // On the real clock a holiday calendar may be running out (Degraded, still 200): DeadlineCalendarHealthTests
        // pin the clock to check both answers.
        Assert.Contains(await response.Content.ReadAsStringAsync(), new[] { "Healthy", "Degraded" });
    }

    [Fact]
    public async Task The_privacy_policy_page_shows_the_shipped_policy_in_the_chosen_language()
    {
        var english = await portal.Factory.CreateBrowserLikeClient("en").GetStringAsync("/privacy-policy");
        var chinese = await portal.Factory.CreateBrowserLikeClient("zh-CN").GetStringAsync("/privacy-policy");

        Assert.Contains("1.1 when you register for the service", english);
        Assert.Contains("隐私政策", chinese);
        Assert.DoesNotContain("when you register for the service", chinese);
    }

    [Fact]
    public async Task Operator_assets_are_served_but_templates_and_theme_stay_private()
    {
        var client = portal.Factory.CreateBrowserLikeClient();

        var logo = await client.GetAsync("/assets/logo.svg");
        Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
        Assert.Equal("image/svg+xml", logo.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/theme.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/email-templates/confirm-email.en.html")).StatusCode);
    }

    [Fact]
    public async Task The_demo_accounts_exist_with_the_published_password()
    {
        foreach (var email in new[] { "subject@demo.local", "guardian@demo.local", "minor@demo.local", "agent@demo.local", "supervisor@demo.local" })
        {
            var client = await portal.Factory.SignedInClientAsync(email);
            // Signed in: the top bar's account button names them (staff land on their day's work, subjects on a welcome).
            var home = FormPoster.Parse(await client.GetStringAsync("/"));
            Assert.Contains(email, home.QuerySelector("[data-testid=account-link]")!.TextContent);
        }
    }

    [Fact]
    public async Task The_brand_from_the_theme_file_names_the_portal()
    {
        var home = await portal.Factory.CreateBrowserLikeClient("zh-CN").GetStringAsync("/");

        Assert.Contains("演示社交 隐私门户", home);
    }
}
