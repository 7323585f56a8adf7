using Bunit;
using DsrPortal.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace DsrPortal.Tests.Components;

public sealed class LanguageSwitchTests : BunitTestContext
{
    [Fact]
    public void Each_language_is_a_button_of_one_form_that_posts_back_to_the_current_page_and_the_current_one_is_marked()
    {
        UseCulture("zh-CN");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/my-data?tab=consent");

        var view = RenderInteractive<LanguageSwitch>();

        var english = view.Find("[data-testid=lang-en]");
        var chinese = view.Find("[data-testid=lang-zh-CN]");
        Assert.Equal("English", english.TextContent);
        Assert.Equal("中文", chinese.TextContent);
        Assert.Equal("en", english.GetAttribute("value"));
        Assert.Equal("submit", english.GetAttribute("type"));
        var form = view.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("culture/set", form.GetAttribute("action"));
        Assert.Equal("/my-data?tab=consent", view.Find("input[name=redirectUri]").GetAttribute("value"));
        Assert.Equal("true", chinese.GetAttribute("aria-current"));
        Assert.Null(english.GetAttribute("aria-current"));
    }
}
