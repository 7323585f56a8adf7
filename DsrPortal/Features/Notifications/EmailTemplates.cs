using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DsrPortal.Features.Branding;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DsrPortal.Features.Notifications;

public enum TemplateProblem
{
    UnknownTemplate = 1,
    TooLong = 2,
    NoSubjectLine = 3,
    UnknownPlaceholder = 4,
}


/// <summary>
/// Renders the operator-editable templates in wwwroot-assets/email-templates/{name}.{culture}.html.
/// The first line is "Subject: ...", then a blank line, then the HTML body; {{Placeholders}} are
/// replaced with HTML-encoded values. A supervisor's edit on the Settings page (kept in the settings
/// table as <c>EmailTemplates:{name}.{culture}</c>) takes the file's place.
/// </summary>
internal sealed partial class EmailTemplates(
    IOptions<BrandingOptions> branding, BrandingTheme theme, IStringLocalizer<SharedResource> localizer, Settings.SettingsStore? settings = null)
{
    public const string SettingPrefix = "EmailTemplates:";
    public const int MaxLength = 8000;

    private string Folder => Path.Combine(branding.Value.ResolvedAssetsPath, "email-templates");

    /// <summary>Every template the portal sends, by name.</summary>
    public IReadOnlyList<string> Names() =>
        [.. Directory.EnumerateFiles(Folder, "*.en.html").Select(f => Path.GetFileName(f)[..^".en.html".Length]).Order()];

    public static string SettingKey(string name, string culture) => $"{SettingPrefix}{name}.{PortalCultures.Normalize(culture)}";

    /// <summary>The text in force: the supervisor's edit, or the shipped file.</summary>
    public async Task<string> CurrentTextAsync(string name, string culture, CancellationToken cancellationToken = default) =>
        settings?.Current.TryGetValue(SettingKey(name, culture), out var edited) == true ? edited! : await ShippedTextAsync(name, culture, cancellationToken);

    public async Task<string> ShippedTextAsync(string name, string culture, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Folder, $"{name}.{PortalCultures.Normalize(culture)}.html");
        return File.Exists(path) ? (await File.ReadAllTextAsync(path, cancellationToken)).Replace("\r\n", "\n") : "";
    }

    /// <summary>
    /// Why an edited template cannot be used, or null: it needs its "Subject:" line and a blank line,
    /// and only the placeholders the shipped template uses, since those are the values the portal has.
    /// </summary>
    public async Task<TemplateProblem?> ProblemAsync(string name, string culture, string text, CancellationToken cancellationToken = default)
    {
        if (!Names().Contains(name))
        {
            return TemplateProblem.UnknownTemplate;
        }

        var normalized = text.Replace("\r\n", "\n");
        if (normalized.Length > MaxLength)
        {
            return TemplateProblem.TooLong;
        }

        var separator = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        if (!normalized.StartsWith("Subject:", StringComparison.Ordinal) || separator < 0 || normalized[..separator].Contains('\n'))
        {
            return TemplateProblem.NoSubjectLine;
        }

        var known = Placeholder().Matches(await ShippedTextAsync(name, "en", cancellationToken)).Select(m => m.Groups[1].Value)
            .Concat(["ProductName", "CompanyName"]).ToHashSet();
        return Placeholder().Matches(normalized).Any(m => !known.Contains(m.Groups[1].Value)) ? TemplateProblem.UnknownPlaceholder : null;
    }
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
        message.Body = new BodyBuilder { HtmlBody = Document(html, subject, culture), TextBody = ToText(html) }.ToMessageBody();
        return message;
    }

    /// <summary>
    /// The template's body (a fragment, what operators edit) as a whole HTML document: its language, so a screen
    /// reader speaks Chinese as Chinese; the subject as its title and first heading; readable type on any client.
    /// </summary>
    private static string Document(string body, string subject, string culture) => $"""
        <!DOCTYPE html>
        <html lang="{PortalCultures.Normalize(culture)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{WebUtility.HtmlEncode(subject)}</title>
        </head>
        <body style="margin:0;padding:16px;background:#ffffff;color:#1f2933;font-family:system-ui,'PingFang SC','Microsoft YaHei',Arial,sans-serif;font-size:16px;line-height:1.5">
        <main style="max-width:600px">
        <h1 style="font-size:20px;line-height:1.3;margin:0 0 16px">{WebUtility.HtmlEncode(subject)}</h1>
        {body}
        </main>
        </body>
        </html>
        """;

    private string Translate(string key, string culture)
    {
        using var _ = PortalCultures.Use(culture);
        return localizer[key].Value;
    }

    private async Task<string> ReadTemplateAsync(string name, string culture, CancellationToken cancellationToken)
    {
        var folder = Folder;
        foreach (var candidate in new[] { PortalCultures.Normalize(culture), PortalCultures.English }.Distinct())
        {
            if (settings?.Current.TryGetValue(SettingKey(name, candidate), out var edited) == true)
            {
                return edited!.Replace("\r\n", "\n");
            }

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
