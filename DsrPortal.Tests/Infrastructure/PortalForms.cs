using System.Net.Http.Json;
using DsrPortal.Features.Demo;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>The portal's own forms, filled with valid values a test then spoils one at a time.</summary>
public static class PortalForms
{
    public const string DemoPassword = DemoDataOptions.Password;

    public static Dictionary<string, string> Registration(string email) => new()
    {
        ["Input.Email"] = email,
        ["Input.PhoneNumber"] = "139 1234 5678",
        ["Input.Nickname"] = "Xiaohong",
        ["Input.Gender"] = "Female",
        ["Input.Constellation"] = "Pisces",
        ["Input.DateOfBirth"] = "1995-03-08",
        ["Input.Password"] = "correct horse battery staple",
        ["Input.ConfirmPassword"] = "correct horse battery staple",
        ["Input.AgreeToPolicy"] = "true",
    };

    public static Dictionary<string, string> Login(string email, string password) => new()
    {
        ["Input.Email"] = email,
        ["Input.Password"] = password,
    };

    public static async Task<HttpClient> SignedInClientAsync(this PortalFactory factory, string email, string password = DemoPassword)
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await client.PostFormAsync("/Account/Login", Login(email, password), "login");
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect, $"Sign-in of {email} failed with {response.StatusCode}.");
        return client;
    }

    /// <summary>A client of the REST API holding the bearer token of that account.</summary>
    public static Task<HttpClient> ApiClientAsync(this PortalFactory factory, string email, string password = DemoPassword) =>
        factory.CreateClient().SignInToApiAsync(email, password);

    public static async Task<HttpClient> SignInToApiAsync(this HttpClient client, string email, string password = DemoPassword)
    {
        var response = await client.PostAsJsonAsync("api/v1/auth/login", new { email, password });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"API sign-in of {email} failed with {response.StatusCode}.");
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>What the language buttons do: post the page's language form, with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SwitchLanguageAsync(this HttpClient client, string page, string culture, string? redirectUri = null)
    {
        var document = FormPoster.Parse(await client.GetStringAsync(page));
        var form = document.QuerySelector("[data-testid=language-switch] form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<AngleSharp.Html.Dom.IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields["culture"] = culture;
        if (redirectUri is not null)
        {
            fields["redirectUri"] = redirectUri;
        }

        return await client.PostAsync("/culture/set", new FormUrlEncodedContent(fields));
    }
}
