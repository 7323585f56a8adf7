using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.DataSources;

public sealed class MyDataTests(MyDataTests.Portal portal) : IClassFixture<MyDataTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Fact]
    public async Task A_subject_sees_each_category_with_why_who_how_long_and_where_from_in_their_language()
    {
        var client = await portal.Factory.SignedInClientAsync("subject@demo.local");
        var english = FormPoster.Parse(await client.GetStringAsync("/my-data"));
        await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2F");
        var chinese = FormPoster.Parse(await client.GetStringAsync("/my-data"));

        var activity = english.QuerySelector("[data-testid=inventory-Activity]")!.TextContent;
        Assert.Contains("crowd portraits", activity);
        Assert.Contains("express consent", activity);
        Assert.Equal(4, english.QuerySelectorAll("[data-testid^=inventory-]").Length - 1); // the table plus four rows
        Assert.Contains("人群画像", chinese.QuerySelector("[data-testid=inventory-Activity]")!.TextContent);
        Assert.Contains("注销账号", chinese.QuerySelector("[data-testid=inventory-Profile]")!.TextContent);
        // The owner sees their own number in full.
        Assert.Equal("13800000001", english.QuerySelector("[data-testid=profile-phone]")!.TextContent);
    }
}
