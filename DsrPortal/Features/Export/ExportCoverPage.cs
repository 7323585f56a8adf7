using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DsrPortal.Features.DataSources;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Export;

/// <summary>
/// The package's index.html: what each category is, why it is held, for how long, and every file of the package
/// linked from it (photos previewed), so a person who opens it after unzipping finds everything from one page.
/// Times are in the reader's time zone (the portal's when it is not known), named; the data files keep UTC, as the page says.
/// </summary>
internal sealed class ExportCoverPage(DataInventory inventory, IStringLocalizer<SharedResource> localizer, Requests.Deadlines.DeadlineCalculator deadlines)
{
    /// <summary>ASP.NET's own table of file types: what it would serve as an image, the cover previews.</summary>
    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider FileTypes = new();

    /// <param name="zone">The reader's time zone (from their last sign-in); null for the portal's.</param>
    public string Render(string reference, string culture, DateTimeOffset generatedAt, IReadOnlyList<ExportManifest.CategoryEntry> categories, TimeZoneInfo? zone = null)
    {
        using var _ = PortalCultures.Use(culture);
        var html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        string T(string key, params object[] arguments) => html.Encode(localizer[key, arguments]);
        var rows = new StringBuilder();
        foreach (var entry in categories)
        {
            var info = inventory.Find(entry.Code);
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td data-label="{T("Data")}"><strong>{html.Encode(info.Name.In(culture))}</strong><br><small>{string.Join(" · ", entry.Files.Take(2).Select(f => Link(f, html)))}</small></td>
                <td class="n" data-label="{T("Records")}">{entry.Records.ToString("N0", CultureInfo.GetCultureInfo(culture))}</td>
                <td data-label="{T("Why we use it")}">{html.Encode(info.Purposes.In(culture))}</td><td data-label="{T("Who receives it")}">{html.Encode(info.Recipients.In(culture))}</td>
                <td data-label="{T("How long we keep it")}">{html.Encode(info.Retention.In(culture))}</td><td data-label="{T("Where it comes from")}">{html.Encode(info.Source.In(culture))}</td></tr>

                """);
        }

        // Every file beyond each category's JSON and CSV: photos as small previews, anything else as a link.
        var media = new StringBuilder();
        foreach (var entry in categories.Where(c => c.Files.Count > 2))
        {
            var name = html.Encode(inventory.Find(entry.Code).Name.In(culture));
            media.Append(CultureInfo.InvariantCulture, $"<h3>{name}</h3>\n<ul class=\"media\">\n");
            foreach (var file in entry.Files.Skip(2))
            {
                var href = Href(file, html);
                media.Append(FileTypes.TryGetContentType(file, out var type) && type.StartsWith("image/", StringComparison.Ordinal)
                    ? $"<li><a href=\"{href}\"><img src=\"{href}\" alt=\"{html.Encode(Path.GetFileName(file))}\" loading=\"lazy\" width=\"120\" height=\"120\"></a></li>\n"
                    : $"<li>{Link(file, html)}</li>\n");
            }

            media.Append("</ul>\n");
        }

        zone ??= deadlines.Zone;
        var local = TimeZoneInfo.ConvertTime(generatedAt, zone);
        var offset = local.Offset;
        var when = string.Create(CultureInfo.InvariantCulture,
            $"{local:yyyy-MM-dd HH:mm} ({zone.Id}, UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm})");

        return $$"""
            <!DOCTYPE html>
            <html lang="{{culture}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{T("Your data: export {0}", reference)}}</title>
            <style>
            body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; color: #1f2933; max-width: 72rem; }
            table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
            th, td { border: 1px solid #cbd2d9; padding: .4rem .6rem; text-align: left; vertical-align: top; }
            th { background: #f0f4f8; } td.n { text-align: right; white-space: nowrap; } small { color: #52606d; }
            a { color: #0b57d0; } ul.media { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
            ul.media img { object-fit: cover; border: 1px solid #cbd2d9; border-radius: 4px; }
            @media (max-width: 600px) {
              body { margin: 1rem; } table, tbody, tr, td { display: block; } td.n { text-align: left; }
              thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
              tr { border-top: 2px solid #cbd2d9; padding: .4rem 0; } td { border: 0; overflow-wrap: anywhere; }
              td::before { content: attr(data-label); display: block; font-size: .8rem; font-weight: 600; color: #52606d; }
            }
            </style>
            </head>
            <body>
            <main>
            <h1>{{T("Your data: export {0}", reference)}}</h1>
            <p>{{T("Generated on {0}. This package holds a copy of the personal data we hold about you, category by category.", when)}}</p>
            <table>
            <thead><tr><th>{{T("Data")}}</th><th>{{T("Records")}}</th><th>{{T("Why we use it")}}</th><th>{{T("Who receives it")}}</th><th>{{T("How long we keep it")}}</th><th>{{T("Where it comes from")}}</th></tr></thead>
            <tbody>
            {{rows}}</tbody>
            </table>
            {{(media.Length > 0 ? $"<h2>{T("Your files")}</h2>\n{media}" : "")}}
            <h2>{{T("How to read the files")}}</h2>
            <ul>
            <li>{{T("Each category has a JSON file (for programs) and a CSV file (opens in a spreadsheet) with the same records, in the data folder.")}}</li>
            <li>{{T("Photos you uploaded are in the media folder.")}}</li>
            <li>{{T("manifest.json lists every file with its size and SHA-256 checksum, so you can check nothing was altered.")}}</li>
            <li>{{T("Times in the data files are in UTC, written as ISO 8601 (for example 2026-11-29T08:00:00Z); add your time zone's offset to read them as local times.")}}</li>
            </ul>
            <p>{{T("Keep this file safe: it contains your personal data. If something is missing or wrong, sign in and make a correction or dispute request.")}}</p>
            </main>
            </body>
            </html>
            """;
    }

    /// <summary>A package path as a relative link that works once the package is unzipped (each segment escaped).</summary>
    private static string Href(string path, HtmlEncoder html) =>
        html.Encode(string.Join('/', path.Split('/').Select(Uri.EscapeDataString)));

    private static string Link(string path, HtmlEncoder html) => $"<a href=\"{Href(path, html)}\">{html.Encode(path)}</a>";
}
