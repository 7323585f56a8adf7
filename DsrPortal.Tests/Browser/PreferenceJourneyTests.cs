using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Webhooks;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class PreferenceJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_subject_refuses_advertising_in_My_data_and_the_companys_systems_hear_of_it_within_seconds()
    {
        var page = await fixture.SignedInPageAsync("subject@demo.local", "my-data");
        var advertising = page.Locator("[data-testid=choice-Advertising]");
        await Assertions.Expect(advertising).ToContainTextAsync("Allowed");

        // One step, no agent: the choice is in force and recorded with its time and channel.
        await page.Locator("[data-testid=choice-Advertising] input[type=checkbox]").ClickAsync();
        await Assertions.Expect(advertising).ToContainTextAsync("Refused");
        await Assertions.Expect(page.Locator("[data-testid=choice-when-Advertising]")).ToContainTextAsync("(Web)");
        await Assertions.Expect(page.Locator("[data-testid=choice-CrowdPortraits]")).ToContainTextAsync("Allowed");

        static bool About(WebhookListener.Received post, string decision) =>
            post.Event == WebhookEvents.PreferenceChanged
            && post.Json.GetProperty("subject").GetProperty("phone").GetString() == ServiceDb.SubjectPhone
            && post.Json.GetProperty("data").GetProperty("purpose").GetString() == "Advertising"
            && post.Json.GetProperty("data").GetProperty("decision").GetString() == decision;

        var refused = await fixture.Hooks.WaitForAsync(p => About(p, "Refused"), TimeSpan.FromSeconds(10));
        Assert.True(WebhookSignature.Verify(WebhookListener.Secret, refused.Signature, refused.Body, DateTimeOffset.UtcNow));
        var app = await fixture.Portal.ApiClientAsync("subject@demo.local");
        var preferences = await app.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences");
        Assert.Equal("Refused", preferences.EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == "Advertising").GetProperty("decision").GetString());

        // Allowed again, the same way.
        await page.Locator("[data-testid=choice-Advertising] input[type=checkbox]").ClickAsync();
        await Assertions.Expect(advertising).ToContainTextAsync("Allowed");
        await fixture.Hooks.WaitForAsync(p => About(p, "Allowed"), TimeSpan.FromSeconds(10));

        // Both choices are in the person's history, newest first, with the channel.
        var history = page.Locator("[data-testid=choices-history] tbody tr").Filter(new() { HasText = "Advertising chosen for you" });
        await Assertions.Expect(history.Nth(0)).ToContainTextAsync("Allowed");
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("Refused");
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("(Web)");
    }
}
