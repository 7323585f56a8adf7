using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
        await client.SwitchLanguageAsync("/my-data", "zh-CN");
        var chinese = FormPoster.Parse(await client.GetStringAsync("/my-data"));

        var reading = english.QuerySelector("[data-testid=inventory-ReadingRecords]")!.TextContent;
        Assert.Contains("crowd portraits", reading);
        Assert.Contains("express consent", reading);
        Assert.Contains("人群画像", chinese.QuerySelector("[data-testid=inventory-ReadingRecords]")!.TextContent);
        Assert.Contains("注销账号", chinese.QuerySelector("[data-testid=inventory-Profile]")!.TextContent);
        // The owner sees their own number in full.
        Assert.Equal("13800000001", english.QuerySelector("[data-testid=profile-phone]")!.TextContent);
    }

    [Fact]
    public async Task The_counts_are_live_from_the_service_database_and_the_portal_on_the_page_and_in_the_api()
    {
        var factory = portal.Factory;
        var expected = new Dictionary<string, long>
        {
            ["Profile"] = factory.CountFor("users", ServiceDb.SubjectPhone),
            ["Devices"] = factory.CountFor("devices", ServiceDb.SubjectPhone),
            ["Photos"] = factory.CountFor("photos", ServiceDb.SubjectPhone),
            ["ReadingRecords"] = factory.CountFor("reading_records", ServiceDb.SubjectPhone),
            ["SharingRecords"] = factory.CountFor("sharing_records", ServiceDb.SubjectPhone),
            ["PortalAccount"] = 1,
        };
        Assert.All(expected.Values, count => Assert.True(count > 0));

        var page = FormPoster.Parse(await (await factory.SignedInClientAsync("subject@demo.local")).GetStringAsync("/my-data"));
        Assert.Equal($"{expected["ReadingRecords"]} records", page.QuerySelector("[data-testid=count-ReadingRecords]")!.TextContent.Trim());

        // A new reading record shows at once: the figures are counted on each visit, not cached.
        factory.ServiceScalar("INSERT INTO reading_records (id, user_id, dynamic_id, visited_at, duration_seconds) VALUES (999999, @v, 1, '2026-11-01T00:00:00Z', 30)",
            factory.UserId(ServiceDb.SubjectPhone));
        expected["ReadingRecords"]++;

        var api = await factory.ApiClientAsync("subject@demo.local");
        api.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var data = await api.GetFromJsonAsync<JsonElement>("/api/v1/me/data");

        Assert.Equal("zh-CN", data.GetProperty("language").GetString());
        var categories = data.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        foreach (var (code, count) in expected)
        {
            Assert.Equal(count, categories[code].GetProperty("count").GetInt64());
        }

        Assert.Contains("第五十六条", categories["SharingRecords"].GetProperty("retention").GetString());
        Assert.False(string.IsNullOrEmpty(categories["Photos"].GetProperty("purposes").GetString()));
    }

    [Fact]
    public async Task The_api_inventory_needs_a_token()
    {
        var response = await portal.Factory.CreateClient().GetAsync("/api/v1/me/data");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
