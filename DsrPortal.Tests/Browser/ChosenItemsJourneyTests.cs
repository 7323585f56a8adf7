using System.Globalization;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class ChosenItemsJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_person_picks_two_of_their_photos_by_preview_and_only_those_are_deleted_with_their_files()
    {
        var serviceId = fixture.Portal.UserId(ServiceDb.SubjectPhone);
        var photos = fixture.Portal.Rows("SELECT id, file_name FROM photos WHERE user_id = @v ORDER BY id DESC", serviceId)
            .Select(r => (Id: Convert.ToString(r["id"], CultureInfo.InvariantCulture)!, File: Path.Combine(fixture.Portal.MediaFolder, (string)r["file_name"]!))).ToList();
        Assert.True(photos.Count >= 3, "The demo subject needs at least three photos.");

        var page = await fixture.SignedInPageAsync("subject@demo.local", "requests/new");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=type-Deletion]");
        await page.ClickAsync("[data-testid=scope-SelectedItems]");
        // The newest photos first, each shown by its preview, served to their owner only.
        var first = page.Locator($"[data-testid=item-Photos-{photos[0].Id}]");
        await Assertions.Expect(first).ToBeVisibleAsync();
        var preview = page.Locator("[data-testid=items-Photos] img").First;
        await Assertions.Expect(preview).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await preview.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The photo's preview did not load.");
        await first.CheckAsync();
        await page.Locator($"[data-testid=item-Photos-{photos[1].Id}]").CheckAsync();
        await Assertions.Expect(page.GetByTestId("chosen-Photos")).ToHaveTextAsync("(2 chosen)");
        Assert.Empty(await page.ViolationsAsync());
        await page.ClickAsync("[data-testid=request-submit]");

        // Before anything happens, the requester sees what will go: two photos.
        await Assertions.Expect(page.Locator("[data-testid=preview-Photos-DeleteRows]")).ToContainTextAsync("2");
        var id = page.Url.Split('/').Last();
        await page.WaitForInteractiveAsync();
        await page.ConfirmItIsMeAsync(fixture.Portal.SmsFolder, ServiceDb.SubjectPhone);

        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{id}");
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.ClickAsync("[data-testid=action-approve]");
        await Assertions.Expect(agent.Locator("[data-testid=closed]")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await Assertions.Expect(page.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Completed");
        await Assertions.Expect(page.Locator("[data-testid=outcome-Photos-DeleteRows]")).ToContainTextAsync("Deleted");
        var left = fixture.Portal.Rows("SELECT id FROM photos WHERE user_id = @v ORDER BY id DESC", serviceId)
            .Select(r => Convert.ToString(r["id"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(photos.Skip(2).Select(p => p.Id), left);
        Assert.All(photos.Take(2), p => Assert.False(File.Exists(p.File), $"{p.File} is still on disk."));
        Assert.All(photos.Skip(2), p => Assert.True(File.Exists(p.File), $"{p.File} was deleted."));
    }
}
