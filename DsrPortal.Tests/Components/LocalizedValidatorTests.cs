using Bunit;

namespace DsrPortal.Tests.Components;

public sealed class LocalizedValidatorTests : BunitTestContext
{
    [Fact]
    public void Submitting_an_empty_form_explains_the_error_in_Chinese()
    {
        UseCulture("zh-CN");
        var form = RenderInteractive<ValidatedTestForm>();

        form.Find("form").Submit();

        Assert.Equal("请输入您的手机号码。", form.Find(".validation-message").TextContent);
        Assert.False(form.Instance.Submitted);
    }

    [Fact]
    public void Fixing_a_field_clears_its_message_and_the_form_submits()
    {
        UseCulture("en");
        var form = RenderInteractive<ValidatedTestForm>();

        form.Find("#phone").Change("12345");
        Assert.Contains("11-digit mainland China mobile number", form.Find(".validation-message").TextContent);

        form.Find("#phone").Change("13812345678");
        Assert.Empty(form.FindAll(".validation-message"));
        form.Find("form").Submit();
        Assert.True(form.Instance.Submitted);
    }
}
