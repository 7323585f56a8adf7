using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// Fills and posts a static server-rendered form the way a browser without JavaScript would:
/// GET the page, keep its hidden fields (antiforgery token, Blazor's form handler), add the inputs.
/// </summary>
public static class FormPoster
{
    public static async Task<HttpResponseMessage> PostFormAsync(
        this HttpClient client, string path, IReadOnlyDictionary<string, string> fields, string formName)
    {
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        return await client.PostFormAsync(document, path, fields, formName);
    }

    /// <summary>Posts a form of a page already at hand (one that appeared only after an earlier post).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(
        this HttpClient client, IHtmlDocument document, string path, IReadOnlyDictionary<string, string> fields, string formName)
    {
        // Blazor names each static form with a hidden _handler field: the form's FormName.
        var form = document.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .FirstOrDefault(f => f.QuerySelector($"input[name=_handler][value='{formName}']") is not null)
            ?? throw new InvalidOperationException($"No form named '{formName}' on {path}.");

        var values = form.QuerySelectorAll("input[type=hidden]")
            .OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (key, value) in fields)
        {
            values[key] = value;
        }

        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    public static async Task<IHtmlDocument> ParseAsync(this HttpResponseMessage response) =>
        Parse(await response.Content.ReadAsStringAsync());

    /// <summary>Where a redirect points, as a site path, whether the server wrote it absolute or relative.</summary>
    public static string RedirectPath(this HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found, $"Expected a redirect, got {response.StatusCode}.");
        var location = response.Headers.Location!;
        var text = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        return text.StartsWith("~/", StringComparison.Ordinal) ? text[1..] : text;
    }
}
