using Bunit;
using DsrPortal.Features.Requests;

namespace DsrPortal.Tests.Components;

public sealed class RequestFormTests : BunitTestContext
{
    private IRenderedComponent<RequestFormHost> RenderForm()
    {
        RenderProviders();
        return RenderInteractive<RequestFormHost>();
    }

    // MudBlazor puts a component's data-testid on its input element.
    private static void Choose(IRenderedComponent<RequestFormHost> form, string testId)
    {
        var input = form.Find($"[data-testid={testId}]");
        if (input.GetAttribute("type") == "radio")
        {
            input.Click();
        }
        else
        {
            input.Change(true);
        }
    }

    [Fact]
    public void Submitting_without_choosing_a_type_asks_for_one()
    {
        UseCulture("en");
        var form = RenderForm();

        form.Find("form").Submit();

        Assert.Contains("Choose what kind of request this is.", form.Find(".validation-errors").TextContent);
        Assert.False(form.Instance.Submitted);
    }

    [Fact]
    public void A_deletion_of_selected_categories_needs_at_least_one_category()
    {
        UseCulture("en");
        var form = RenderForm();
        Choose(form, "type-Deletion");
        Choose(form, "scope-SelectedCategories");

        form.Find("form").Submit();
        Assert.Contains("Choose at least one category of data to delete.", form.Find(".validation-errors").TextContent);

        Choose(form, "category-Photos");
        form.Find("form").Submit();
        Assert.True(form.Instance.Submitted);
        Assert.Equal([DataCategory.Photos], form.Instance.Model.Categories);
    }

    [Fact]
    public void A_correction_needs_the_correct_value_and_says_so_in_Chinese()
    {
        UseCulture("zh-CN");
        var form = RenderForm();
        Choose(form, "type-Correction");
        form.Find("[data-testid=correction-field]").Change("昵称");

        form.Find("form").Submit();

        Assert.Contains("请填写正确的内容", form.Find(".validation-errors").TextContent);
        Assert.False(form.Instance.Submitted);
    }

    [Fact]
    public void Whole_account_deletion_warns_about_the_cooling_off_period()
    {
        UseCulture("en");
        var form = RenderForm();
        Choose(form, "type-Deletion");
        Choose(form, "scope-WholeAccount");

        Assert.Contains("cooling-off period", form.Markup);
        Assert.Empty(form.FindAll("[data-testid^=category-]"));
    }
}
