using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DsrPortal.Features.Branding;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DsrPortal.Features.Notifications;

/// <summary>
/// Renders the operator-editable templates in wwwroot-assets/email-templates/{name}.{culture}.html.
/// The first line is "Subject: ...", then a blank line, then the HTML body; {{Placeholders}} are
/// replaced with HTML-encoded values.
/// </summary>
internal sealed partial class EmailTemplates(IOptions<BrandingOptions> branding, BrandingTheme theme, IStringLocalizer<SharedResource> localizer)
{
    public async Task<MimeMessage> RenderAsync(
        string templateName, string culture, string toAddress, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var raw = await ReadTemplateAsync(templateName, culture, cancellationToken);
        var separator = raw.IndexOf("\n\n", StringComparison.Ordinal);
        var header = separator < 0 ? raw : raw[..separator];
        if (!header.StartsWith("Subject:", StringComparison.Ordinal) || separator < 0)
        {
            throw new InvalidOperationException($"Email template '{templateName}' must start with a 'Subject:' line followed by a blank line.");
        }

        var all = new Dictionary<string, string>(values)
        {
            ["ProductName"] = theme.ProductNameIn(culture),
            ["CompanyName"] = theme.CompanyNameIn(culture),
        };
        // "StatusKey" = "In progress" becomes "Status" = the recipient's word for it.
        foreach (var (key, value) in values.Where(v => v.Key.EndsWith("Key", StringComparison.Ordinal)))
        {
            all[key[..^3]] = Translate(value, culture);
        }

        var subject = Fill(header["Subject:".Length..].Trim(), all, encode: false);
        var html = Fill(raw[(separator + 2)..], all, encode: true);

        var message = new MimeMessage { Subject = subject };
        message.To.Add(MailboxAddress.Parse(toAddress));
        message.Headers.Add(HeaderId.ContentLanguage, PortalCultures.Normalize(culture));
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = ToText(html) }.ToMessageBody();
        return message;
    }

    private string Translate(string key, string culture)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(PortalCultures.Normalize(culture));
        try
        {
            return localizer[key].Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private async Task<string> ReadTemplateAsync(string name, string culture, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(branding.Value.ResolvedAssetsPath, "email-templates");
        foreach (var candidate in new[] { PortalCultures.Normalize(culture), PortalCultures.English }.Distinct())
        {
            var path = Path.Combine(folder, $"{name}.{candidate}.html");
            if (File.Exists(path))
            {
                return (await File.ReadAllTextAsync(path, cancellationToken)).Replace("\r\n", "\n");
            }
        }

        throw new FileNotFoundException($"Email template '{name}' was not found in {folder}.");
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values, bool encode) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? (encode ? WebUtility.HtmlEncode(v) : v)
            : throw new InvalidOperationException($"Email template placeholder '{m.Value}' has no value."));

    private static string ToText(string html)
    {
        var withLinks = Anchor().Replace(html, m => $"{m.Groups[2].Value} ({WebUtility.HtmlDecode(m.Groups[1].Value)})");
        var text = WebUtility.HtmlDecode(Tag().Replace(BlockEnd().Replace(withLinks, "\n"), ""));
        return BlankLines().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<a\s[^>]*href=""([^""]*)""[^>]*>(.*?)</a>", RegexOptions.Singleline)]
    private static partial Regex Anchor();

    [GeneratedRegex(@"</(p|h1|h2|div|li)>|<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n\s*\n+")]
    private static partial Regex BlankLines();
}
