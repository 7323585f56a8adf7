using System.ComponentModel.DataAnnotations;
using DsrPortal.Features.DataSources.Http;
using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Features.ManualTasks;

namespace DsrPortal.Tests.Features.DataSources;

/// <summary>An operator's mistakes in the HTTP and manual sources' settings are refused at start-up, each naming its setting.</summary>
public sealed class SourceSettingsTests
{
    [Fact]
    public void Bad_http_and_manual_sources_are_named_setting_by_setting()
    {
        var options = new DataSourcesOptions
        {
            Http =
            [
                new HttpSourceOptions
                {
                    Name = "shop", BaseAddress = new Uri("ftp://shop.internal/"), Secret = "short",
                    Categories = [new HttpCategoryOptions { Category = "ShopInvoices", Erasure = HttpErasure.Retain }],
                },
            ],
            Manual =
            [
                new ManualSystemOptions
                {
                    Name = "shop", OwnerEmail = "not an address", Culture = "fr",
                    Categories = [new HttpCategoryOptions { Category = "ShopInvoices" }],
                },
            ],
        };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage!).ToList();

        Assert.Contains("DataSources:Http:0:BaseAddress must be an absolute http or https address.", errors);
        Assert.Contains(errors, e => e.StartsWith("DataSources:Http:0:Secret must be at least 32 characters", StringComparison.Ordinal));
        Assert.Contains("DataSources:Http:0 category 'ShopInvoices': a retained category needs its LegalBasis.", errors);
        Assert.Contains("DataSources:Manual:0: every source needs a unique Name of at most 64 characters ('shop').", errors);
        Assert.Contains("DataSources:Manual:0:OwnerEmail must be the address of the person or team who answers its tasks.", errors);
        Assert.Contains("DataSources:Manual:0:Culture is 'fr'; use en or zh-CN.", errors);
        Assert.Contains("DataSources:Manual:0: every category needs its own code ('ShopInvoices' is missing or already used).", errors);
    }
}
