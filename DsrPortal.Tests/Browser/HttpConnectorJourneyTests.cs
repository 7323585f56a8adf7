using System.IO.Compression;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>A portal of its own, connected to the sample shop over HTTP: what the shop holds shows, exports and is erased like any other data.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HttpConnectorJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_shop_over_http_shows_on_my_data_joins_the_export_zip_and_is_erased_once_its_callback_confirms()
    {
        await using var shop = await SampleShopService.StartAsync();
        shop.Seed(ServiceDb.SubjectPhone);
        var settings = shop.Settings();
        settings["Fulfilment:WorkerEnabled"] = "true";
        settings["Fulfilment:PollInterval"] = "00:00:00.300";
        settings["Fulfilment:CoolingOffDays"] = "0";
        await using var portal = new PortalFactory(settings);
        var address = portal.StartOnKestrel();
        shop.Portal = new HttpClient { BaseAddress = address };

        var subject = await fixture.NewPageAsync(baseAddress: address);
        await subject.SignInAsync("subject@demo.local", PortalForms.DemoPassword);
        await subject.GotoAsync("my-data");
        await Assertions.Expect(subject.GetByTestId("count-ShopOrders")).ToContainTextAsync("3");
        await Assertions.Expect(subject.Locator("tr", new() { Has = subject.GetByTestId("count-ShopInvoices") })).ToContainTextAsync("Your invoices");

        var workflow = portal.Services.GetRequiredService<RequestWorkflow>();
        var actor = await portal.ActorAsync("subject@demo.local");
        var agentActor = await portal.ActorAsync("agent@demo.local");
        var export = (await workflow.SubmitAsync(actor.Export(), actor, "session")).Request!;
        Assert.True((await workflow.ClaimAsync(export.Id, agentActor)).Succeeded);
        Assert.True((await workflow.ApproveAsync(export.Id, agentActor, null)).Succeeded);

        await subject.GotoAsync($"requests/{export.Id}");
        await Assertions.Expect(subject.GetByTestId("export-download")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var download = await subject.RunAndWaitForDownloadAsync(() => subject.GetByTestId("export-download").ClickAsync());
        var path = Path.Combine(Directory.CreateTempSubdirectory("dsr-shop-").FullName, "export.zip");
        await download.SaveAsAsync(path);
        using (var zip = ZipFile.OpenRead(path))
        {
            using var orders = new StreamReader(zip.Entries.Single(e => e.FullName.Contains("ShopOrders", StringComparison.Ordinal) && e.FullName.EndsWith(".csv", StringComparison.Ordinal)).Open());
            Assert.Contains("Teapot", await orders.ReadToEndAsync());
        }

        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);

        // The agent approves the log-off; the shop deletes the orders as a job, and the request ends once it calls back.
        var deletion = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = actor.UserId, RequesterId = actor.UserId, DeletionScope = DeletionScope.WholeAccount,
        }, actor, "session")).Request!;
        var agent = await fixture.NewPageAsync(baseAddress: address);
        await agent.SignInAsync("agent@demo.local", PortalForms.DemoPassword);
        await agent.GotoAsync($"queue/{deletion.Id}");
        await agent.WaitForInteractiveAsync();
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.ClickAsync("[data-testid=action-approve]");
        await Assertions.Expect(agent.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "CompletedWithExceptions", new() { Timeout = 30_000 });
        await Assertions.Expect(agent.GetByTestId("outcome-note")).ToContainTextAsync("Your invoices");
        Assert.Equal([204], shop.CallbackStatus);
        Assert.False(shop.Orders.ContainsKey(ServiceDb.SubjectPhone));
        Assert.Equal(2, shop.Invoices[ServiceDb.SubjectPhone].Count);
        await subject.Context.CloseAsync();
        await agent.Context.CloseAsync();
    }
}
