using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>Issue 5's journey: a 15-year-old registers, a guardian links and is verified, acts for them, and nobody else can.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GuardianJourneyTests(BrowserFixture fixture)
{
    private const string MinorEmail = "teen.journey@example.com";
    private const string MinorPassword = "a teenager's long passphrase";

    [Fact]
    public async Task A_guardian_is_verified_acts_for_a_registered_minor_and_another_guardian_gets_404_everywhere()
    {
        var folder = Directory.CreateTempSubdirectory("dsr-guardian-").FullName;
        var proof = Path.Combine(folder, "household-register.png");
        var consent = Path.Combine(folder, "consent.pdf");
        var disguised = Path.Combine(folder, "looks-like.pdf");
        await File.WriteAllBytesAsync(proof, SampleDocuments.Png);
        await File.WriteAllBytesAsync(consent, SampleDocuments.Pdf);
        await File.WriteAllTextAsync(disguised, "I am a text file with a PDF name.");

        // A 15-year-old registers and confirms the address.
        var minor = await fixture.NewPageAsync();
        await minor.GotoAsync("Account/Register");
        await minor.FillAsync("#Input\\.Email", MinorEmail);
        await minor.FillAsync("#Input\\.PhoneNumber", "13912345670");
        await minor.FillAsync("#Input\\.Nickname", "Teen Journey");
        await minor.SelectOptionAsync("#Input\\.Gender", "Female");
        await minor.SelectOptionAsync("#Input\\.Constellation", "Pisces");
        await minor.FillAsync("#Input\\.DateOfBirth", DateTime.UtcNow.AddYears(-15).AddDays(-20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await minor.FillAsync("#Input\\.Password", MinorPassword);
        await minor.FillAsync("#Input\\.ConfirmPassword", MinorPassword);
        await minor.CheckAsync("#Input\\.AgreeToPolicy");
        await minor.ClickAsync("[data-testid=register-submit]");
        var mail = await fixture.Smtp.WaitForMessageAsync(MinorEmail);
        await minor.GotoAsync(mail.LinkTo("/Account/ConfirmEmail").PathAndQuery.TrimStart('/'));
        await minor.SignInAsync(MinorEmail, MinorPassword);
        await minor.WaitForInteractiveAsync();
        await Assertions.Expect(minor.Locator("[data-testid=minor-notice]")).ToContainTextAsync("You are under 18");

        // The guardian names the minor's account and uploads the documents; a disguised file is refused.
        var guardian = await fixture.SignedInPageAsync("guardian@demo.local", "guardians");
        await guardian.FillAsync("[data-testid=apply-email]", MinorEmail);
        await guardian.ClickAsync("[data-testid=apply-send]");
        await Assertions.Expect(guardian.Locator("[data-testid=link-status]")).ToHaveTextAsync("Waiting for the guardian's documents");
        await guardian.WaitForInteractiveAsync();
        var linkUrl = guardian.Url;
        await guardian.SetInputFilesAsync("[data-testid=consent-file]", disguised);
        await Assertions.Expect(guardian.Locator("[data-testid=consent-error]")).ToContainTextAsync("Only PDF, JPEG or PNG documents are accepted");
        await guardian.SetInputFilesAsync("[data-testid=proof-file]", proof);
        await guardian.SetInputFilesAsync("[data-testid=consent-file]", consent);
        await Assertions.Expect(guardian.Locator("[data-testid=consent-error]")).ToHaveCountAsync(0);
        await guardian.ClickAsync("[data-testid=documents-submit]");
        await Assertions.Expect(guardian.Locator("[data-testid=link-status]")).ToHaveTextAsync("Being checked by customer service");
        var linkId = Guid.Parse(linkUrl.Split('/').Last());
        Assert.Equal(2, await DocumentsAsync(linkId));

        // The agent checks them in the verification queue; the documents are gone afterwards.
        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"guardians/verification/{linkId}");
        await Assertions.Expect(agent.Locator("[data-testid=verification-document]")).ToHaveCountAsync(2);
        await agent.ClickAsync("[data-testid=verification-approve]");
        await Assertions.Expect(agent.Locator("[data-testid=verification-status]")).ToHaveTextAsync("Verified");
        await Assertions.Expect(agent.Locator("[data-testid=verification-method]")).ToContainTextAsync("ProofOfGuardianship (PNG");
        Assert.Equal(0, await DocumentsAsync(linkId));

        // The guardian asks for the minor's data, and downloads it once the portal has built it.
        await guardian.GotoAsync("guardians");
        await guardian.WaitForInteractiveAsync();
        var ward = guardian.Locator("[data-testid=ward]", new() { HasText = "Teen Journey" });
        await ward.Locator("[data-testid=ward-new-request]").ClickAsync();
        await guardian.WaitForInteractiveAsync();
        await Assertions.Expect(guardian.Locator("[data-testid=acting-for]")).ToContainTextAsync("Teen Journey");
        await guardian.ClickAsync("[data-testid=type-Export]");
        await guardian.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(guardian.Locator("[data-testid=request-title]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^DSR-\d{4}-\d{6}$"));
        var reference = (await guardian.Locator("[data-testid=request-title]").TextContentAsync())!;
        var requestId = guardian.Url.Split('/').Last();
        await Assertions.Expect(guardian.Locator("[data-testid=acting-for]")).ToContainTextAsync("Teen Journey");
        // An export of the minor's data starts once the guardian confirms it is them, with a code to their phone.
        await guardian.WaitForInteractiveAsync();
        await guardian.ConfirmItIsMeAsync(fixture.Portal.SmsFolder, ServiceDb.GuardianPhone);

        await agent.GotoAsync($"queue/{requestId}");
        await agent.WaitForInteractiveAsync();
        await Assertions.Expect(agent.Locator("[data-testid=requester-guardian-consent]")).ToHaveTextAsync("Given and verified");
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.ClickAsync("[data-testid=action-approve]");
        await Assertions.Expect(agent.Locator("[data-testid=closed]")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await guardian.GotoAsync($"requests/{requestId}");
        await guardian.WaitForInteractiveAsync();
        var download = await guardian.RunAndWaitForDownloadAsync(() => guardian.ClickAsync("[data-testid=export-download]"));
        Assert.Equal($"{reference}-export.zip", download.SuggestedFilename);

        // The minor sees the request made for them, and is emailed about it.
        await minor.GotoAsync("requests");
        var row = minor.Locator("[data-testid=my-requests] tr", new() { HasText = reference });
        await Assertions.Expect(row).ToContainTextAsync("Made by a guardian");
        await fixture.Smtp.WaitForMessageAsync(MinorEmail, m => (m.Subject ?? "").Contains(reference));

        // Another guardian, signed in, with every id in hand: 404 on each page and API call.
        string minorId;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            minorId = await db.Users.Where(u => u.Email == MinorEmail).Select(u => u.Id).SingleAsync();
        }

        var stranger = await fixture.SignedInPageAsync("subject@demo.local", "");
        foreach (var path in new[] { $"my-data?for={minorId}", $"requests?for={minorId}", $"requests/new?for={minorId}", $"requests/{requestId}", $"requests/{requestId}/export", $"guardians/links/{linkId}" })
        {
            var response = await stranger.GotoAsync(path);
            Assert.True(response?.Status == 404, $"{path} answered {response?.Status}");
        }

        using var api = await new HttpClient { BaseAddress = fixture.BaseAddress }.SignInToApiAsync("subject@demo.local");
        foreach (var path in new[] { $"api/v1/requests/{requestId}", $"api/v1/requests/{requestId}/messages", $"api/v1/requests/{requestId}/export", $"api/v1/requests?for={minorId}", $"api/v1/me/data?for={minorId}" })
        {
            Assert.True(HttpStatusCode.NotFound == (await api.GetAsync(path)).StatusCode, path);
        }

        Directory.Delete(folder, recursive: true);
    }

    private async Task<int> DocumentsAsync(Guid linkId)
    {
        await using var db = fixture.Portal.CreateDbContext();
        return await db.GuardianDocuments.CountAsync(d => d.LinkId == linkId);
    }
}
