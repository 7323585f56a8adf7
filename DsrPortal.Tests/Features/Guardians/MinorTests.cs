using DsrPortal.Features.Guardians;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Guardians;

public sealed class MinorTests(MinorTests.Portal portal) : IClassFixture<MinorTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    [Theory]
    [InlineData("2008-11-29", "2026-11-28", 17)]
    [InlineData("2008-11-29", "2026-11-29", 18)] // the birthday itself counts
    [InlineData("2008-02-29", "2026-02-28", 17)] // born on 29 February: of age on 1 March in common years
    [InlineData("2008-02-29", "2026-03-01", 18)]
    public void Age_counts_whole_years(string born, string today, int age) =>
        Assert.Equal(age, MinorOptions.Age(DateOnly.Parse(born), DateOnly.Parse(today)));

    [Fact]
    public async Task A_minor_sees_why_a_guardian_is_needed_until_consent_is_verified_and_an_adult_sees_nothing()
    {
        var demoMinor = await (await portal.Factory.SignedInClientAsync("minor@demo.local")).GetStringAsync("/my-data");
        var adult = await (await portal.Factory.SignedInClientAsync("subject@demo.local")).GetStringAsync("/my-data");

        // The demo minor's guardian is verified with their written consent.
        Assert.Contains("written consent has been checked by customer service", demoMinor);
        Assert.DoesNotContain("data-testid=\"minor-notice\"", adult);

        var guardians = portal.Factory.Services.GetRequiredService<GuardianService>();
        var minor = await portal.Factory.ActorAsync("minor@demo.local");
        var link = (await guardians.WardsAsync((await portal.Factory.ActorAsync("guardian@demo.local")).UserId)).Single(w => w.MinorId == minor.UserId).LinkId;
        await guardians.EndAsync(link, minor.UserId, DsrPortal.Features.Accounts.PortalRoles.Subject);

        var withoutGuardian = await (await portal.Factory.SignedInClientAsync("minor@demo.local")).GetStringAsync("/my-data");
        Assert.Contains("You are under 18", withoutGuardian);
        Assert.Contains("Invite your guardian on the Guardians page.", withoutGuardian);
    }

    [Fact]
    public async Task An_agent_sees_that_a_request_concerns_a_minor_and_the_minor_can_still_make_it()
    {
        var minor = await portal.Factory.ActorAsync("minor@demo.local");
        var request = await portal.Factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(minor.Export(), minor, "session");
        Assert.True(request.Succeeded);

        var page = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetStringAsync($"/queue/{request.Request!.Id}"));

        Assert.Contains("Minor (15)", page.QuerySelector("[data-testid=requester-minor]")!.TextContent);
    }
}
