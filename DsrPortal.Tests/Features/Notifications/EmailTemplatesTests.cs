using DsrPortal.Features.Branding;
using DsrPortal.Features.Notifications;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace DsrPortal.Tests.Features.Notifications;

public sealed class EmailTemplatesTests
{
    private static EmailTemplates Templates(string assets)
    {
        var options = Options.Create(new BrandingOptions { ResolvedAssetsPath = assets });
        var localizer = new Microsoft.Extensions.Localization.ResourceManagerStringLocalizerFactory(
            Options.Create(new Microsoft.Extensions.Localization.LocalizationOptions()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .Create(typeof(DsrPortal.Localization.SharedResource));
        return new EmailTemplates(options, BrandingTheme.Load(options), new Microsoft.Extensions.Localization.StringLocalizer<DsrPortal.Localization.SharedResource>(
            new SingleLocalizerFactory(localizer)));
    }

    [Theory]
    [InlineData("confirm-email")]
    [InlineData("reset-password")]
    [InlineData("reset-password-code")]
    public async Task Every_account_email_exists_in_both_languages(string template)
    {
        var values = new Dictionary<string, string> { ["Nickname"] = "Lin", ["Link"] = "https://x.example/", ["Code"] = "123456" };

        var english = await Templates(RepoPaths.Assets).RenderAsync(template, "en", "a@example.com", values);
        var chinese = await Templates(RepoPaths.Assets).RenderAsync(template, "zh-CN", "a@example.com", values);

        Assert.NotEqual(english.Subject, chinese.Subject);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", chinese.Subject);
        Assert.Equal("zh-CN", chinese.Headers["Content-Language"]);
        Assert.DoesNotContain("{{", english.HtmlBody + chinese.HtmlBody);
    }

    [Fact]
    public async Task Every_request_email_renders_in_both_languages_with_the_values_the_workflow_gives()
    {
        var names = Directory.GetFiles(Path.Combine(RepoPaths.Assets, "email-templates"), "request-*.en.html")
            .Select(f => Path.GetFileName(f)[..^".en.html".Length]).ToList();
        var values = new Dictionary<string, string>
        {
            ["Reference"] = "DSR-2026-000042", ["Link"] = "https://portal.example/requests/1", ["DueDate"] = "2026-11-23",
            ["TypeKey"] = "Copy of my data", ["StatusKey"] = "In progress", ["ExtensionReason"] = "Archived records",
            ["ReasonKey"] = "Your identity could not be verified", ["Explanation"] = "The phone number did not match.",
            ["OutcomeNote"] = "App profile · Nickname: changed to \"Lin\".", ["CloseDate"] = "2026-11-09",
        };

        Assert.Equal(14, names.Count);
        foreach (var name in names)
        {
            var chinese = await Templates(RepoPaths.Assets).RenderAsync(name, "zh-CN", "a@example.com", values);
            var english = await Templates(RepoPaths.Assets).RenderAsync(name, "en", "a@example.com", values);
            Assert.Contains("DSR-2026-000042", chinese.HtmlBody);
            Assert.Contains("https://portal.example/requests/1", english.HtmlBody);
            Assert.DoesNotContain("In progress", chinese.HtmlBody); // codes arrive in the reader's language
            Assert.DoesNotContain("{{", english.HtmlBody + chinese.HtmlBody + english.Subject + chinese.Subject);
        }
    }

    [Fact]
    public async Task An_operator_edited_template_is_used_and_a_missing_placeholder_value_is_an_error()
    {
        var assets = Directory.CreateTempSubdirectory("dsr-assets-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(assets, "email-templates"));
            await File.WriteAllTextAsync(Path.Combine(assets, "email-templates", "hello.en.html"), "Subject: Hi {{Nickname}}\n\n<p>{{Missing}}</p>");

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                Templates(assets).RenderAsync("hello", "zh-CN", "a@example.com", new Dictionary<string, string> { ["Nickname"] = "Lin" }));

            Assert.Contains("{{Missing}}", error.Message);
        }
        finally
        {
            Directory.Delete(assets, recursive: true);
        }
    }

    private sealed class SingleLocalizerFactory(Microsoft.Extensions.Localization.IStringLocalizer localizer) : Microsoft.Extensions.Localization.IStringLocalizerFactory
    {
        public Microsoft.Extensions.Localization.IStringLocalizer Create(Type resourceSource) => localizer;

        public Microsoft.Extensions.Localization.IStringLocalizer Create(string baseName, string location) => localizer;
    }
}
