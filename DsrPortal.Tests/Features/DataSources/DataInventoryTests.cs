using DsrPortal.Features.Branding;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace DsrPortal.Tests.Features.DataSources;

public sealed class DataInventoryTests
{
    [Fact]
    public void A_sources_own_description_of_a_table_overrides_the_file_and_describes_categories_the_file_lacks()
    {
        var sources = new DataSourcesOptions
        {
            Sql =
            [
                new SqlSourceOptions
                {
                    Name = "crm",
                    ConnectionString = "Data Source=crm.db",
                    Tables =
                    [
                        new SqlTableOptions { Table = "devices", Category = "Devices", SubjectColumn = "user_id", Recipients = new() { ["en"] = "Our cloud host, under contract", ["zh-CN"] = "我们的云服务商（依合同）" } },
                        new SqlTableOptions { Table = "tickets", Category = "SupportTickets", SubjectColumn = "phone", Name = new() { ["en"] = "Support tickets" }, Retention = new() { ["en"] = "Two years" } },
                    ],
                },
            ],
        };
        var inventory = new DataInventory(Options.Create(new BrandingOptions { ResolvedAssetsPath = RepoPaths.Assets }), Options.Create(sources));

        var devices = inventory.Find("Devices");
        Assert.Equal("Our cloud host, under contract", devices.Recipients.In("en"));
        Assert.Equal("我们的云服务商（依合同）", devices.Recipients.In("zh-CN"));
        Assert.Equal("Running the service, fixing faults, keeping your account secure", devices.Purposes.In("en"));
        Assert.Equal("Support tickets", inventory.Find("SupportTickets").Name.In("zh-CN"));
        Assert.Equal("Two years", inventory.Categories.Last().Retention.In("en"));
    }
}
