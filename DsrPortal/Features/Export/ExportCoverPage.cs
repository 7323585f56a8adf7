using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DsrPortal.Features.DataSources;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Export;

/// <summary>The package's index.html: what each category is, why it is held, for how long, and how to read the files.</summary>
internal sealed class ExportCoverPage(DataInventory inventory, IStringLocalizer<SharedResource> localizer)
{
    public string Render(string reference, string culture, DateTimeOffset generatedAt, IReadOnlyList<ExportManifest.CategoryEntry> categories)
    {
        using var _ = PortalCultures.Use(culture);
        var html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        string T(string key, params object[] arguments) => html.Encode(localizer[key, arguments]);
        var rows = new StringBuilder();
        foreach (var entry in categories)
        {
            var info = inventory.Find(entry.Code);
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><strong>{html.Encode(info.Name.In(culture))}</strong><br><small>{html.Encode(string.Join(", ", entry.Files.Take(2)))}</small></td>
                <td class="n">{entry.Records.ToString("N0", CultureInfo.GetCultureInfo(culture))}</td>
                <td>{html.Encode(info.Purposes.In(culture))}</td><td>{html.Encode(info.Recipients.In(culture))}</td>
                <td>{html.Encode(info.Retention.In(culture))}</td><td>{html.Encode(info.Source.In(culture))}</td></tr>

                """);
        }

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
            </style>
            </head>
            <body>
            <h1>{{T("Your data: export {0}", reference)}}</h1>
            <p>{{T("Generated on {0} (UTC). This package holds a copy of the personal data we hold about you, category by category.", generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}}</p>
            <table>
            <thead><tr><th>{{T("Data")}}</th><th>{{T("Records")}}</th><th>{{T("Why we use it")}}</th><th>{{T("Who receives it")}}</th><th>{{T("How long we keep it")}}</th><th>{{T("Where it comes from")}}</th></tr></thead>
            <tbody>
            {{rows}}</tbody>
            </table>
            <h2>{{T("How to read the files")}}</h2>
            <ul>
            <li>{{T("Each category has a JSON file (for programs) and a CSV file (opens in a spreadsheet) with the same records, in the data folder.")}}</li>
            <li>{{T("Photos you uploaded are in the media folder.")}}</li>
            <li>{{T("manifest.json lists every file with its size and SHA-256 checksum, so you can check nothing was altered.")}}</li>
            <li>{{T("Times are in UTC, written as ISO 8601 (for example 2026-11-29T08:00:00Z).")}}</li>
            </ul>
            <p>{{T("Keep this file safe: it contains your personal data. If something is missing or wrong, sign in and make a correction or dispute request.")}}</p>
            </body>
            </html>
            """;
    }
}
