using Bunit;
using Bunit.TestDoubles;
using DsrPortal.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace DsrPortal.Tests.Components;

public sealed class LanguageSwitchTests : BunitTestContext
{
    [Fact]
    public void Each_language_links_back_to_the_current_page_and_the_current_one_is_marked()
    {
        UseCulture("zh-CN");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/my-data?tab=consent");

        var view = RenderInteractive<LanguageSwitch>();

        var english = view.Find("[data-testid=lang-en]");
        var chinese = view.Find("[data-testid=lang-zh-CN]");
        Assert.Equal("English", english.TextContent);
        Assert.Equal("中文", chinese.TextContent);
        Assert.Equal("culture/set?culture=en&redirectUri=%2Fmy-data%3Ftab%3Dconsent", english.GetAttribute("href"));
        Assert.Equal("true", chinese.GetAttribute("aria-current"));
        Assert.Null(english.GetAttribute("aria-current"));
    }

    [Fact]
    public void Choosing_a_language_reloads_the_page_through_the_switch()
    {
        UseCulture("en");
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        navigation.NavigateTo("/queue");
        var view = RenderInteractive<LanguageSwitch>();

        view.Find("[data-testid=lang-zh-CN]").Click();

        Assert.EndsWith("culture/set?culture=zh-CN&redirectUri=%2Fqueue", navigation.Uri);
        Assert.True(navigation.History.First().Options.ForceLoad);
    }
}
