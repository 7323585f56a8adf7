using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using DsrPortal.Features.DataSources;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Export;

/// <summary>What a package holds: per category its records and files, and every file's hash.</summary>
internal sealed record ExportManifest(int SchemaVersion, string Reference, string Language, DateTimeOffset GeneratedAt,
    IReadOnlyList<ExportManifest.CategoryEntry> Categories, IReadOnlyList<ExportManifest.FileEntry> Files)
{
    public const int CurrentSchemaVersion = 1;

    public sealed record CategoryEntry(string Code, string Name, string Source, long Records, IReadOnlyList<string> Files);

    public sealed record FileEntry(string Path, long Bytes, string Sha256);
}

/// <summary>
/// Writes a subject's export package as a ZIP, streamed end to end: each category is read from its
/// source row by row and written straight into the archive (JSON, then CSV, then its media files),
/// hashed on the way, so memory stays flat however much data the subject has.
/// </summary>
internal sealed class ExportPackageWriter(PersonalData data, IStringLocalizer<SharedResource> localizer)
{
    private const int RowsPerCallback = 5000;

    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly CsvWriterOptions CsvOptions = CsvWriterOptions.Default with
    {
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <param name="onRows">Called every few thousand rows with the running total: renew a lease, report progress.</param>
    public async Task<ExportManifest> WriteAsync(
        Stream output, SubjectKeys subject, string reference, string culture, DateTimeOffset generatedAt,
        Func<long, ValueTask>? onRows = null, CancellationToken cancellationToken = default)
    {
        culture = PortalCultures.Normalize(culture);
        var files = new List<ExportManifest.FileEntry>();
        var categories = new List<ExportManifest.CategoryEntry>();
        var counter = new RowCounter(onRows);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (category, source) in data.ExportableCategories())
            {
                var code = category.Code;
                var jsonPath = $"data/{code}.json";
                var csvPath = $"data/{code}.csv";
                var records = await WriteEntryAsync(zip, jsonPath, files, stream => WriteJsonAsync(stream, source, subject, code, counter, cancellationToken));
                await WriteEntryAsync(zip, csvPath, files, stream => WriteCsvAsync(stream, source, subject, code, cancellationToken));
                var media = await WriteMediaAsync(zip, files, source, subject, code, cancellationToken);
                categories.Add(new ExportManifest.CategoryEntry(code, category.Name.In(culture), source.Name, records, [jsonPath, csvPath, .. media]));
            }

            await WriteEntryAsync(zip, "index.html", files, async stream =>
            {
                await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                await writer.WriteAsync(CoverPage(reference, culture, generatedAt, categories));
                return 0;
            });

            var manifest = new ExportManifest(ExportManifest.CurrentSchemaVersion, reference, culture, generatedAt, categories, files);
            await using (var stream = zip.CreateEntry("manifest.json", CompressionLevel.Optimal).Open())
            {
                await JsonSerializer.SerializeAsync(stream, manifest, ManifestJson, cancellationToken);
            }

            return manifest;
        }
    }

    private static async Task<long> WriteEntryAsync(ZipArchive zip, string path, List<ExportManifest.FileEntry> files, Func<Stream, Task<long>> write)
    {
        await using var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        using var hashing = new HashingStream(entry);
        var result = await write(hashing);
        await hashing.FlushAsync();
        files.Add(new ExportManifest.FileEntry(path, hashing.BytesWritten, hashing.Sha256Hex()));
        return result;
    }

    private static async Task<long> WriteJsonAsync(Stream stream, IPersonalDataSource source, SubjectKeys subject, string code, RowCounter counter, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var sink = new JsonSink(json, stream, counter);
        json.WriteStartArray();
        await source.ReadAsync(subject, code, sink, cancellationToken);
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        return sink.Rows;
    }

    private static async Task<long> WriteCsvAsync(Stream stream, IPersonalDataSource source, SubjectKeys subject, string code, CancellationToken cancellationToken)
    {
        // With a byte-order mark, spreadsheet programs open the Chinese text as UTF-8. Text that a
        // spreadsheet would run as a formula (=, +, -, @) is escaped: the JSON file keeps it exact.
        await using var csv = CsvWriter.Create(stream, CsvOptions, leaveOpen: true);
        var sink = new CsvSink(csv, cancellationToken);
        await source.ReadAsync(subject, code, sink, cancellationToken);
        await csv.FlushAsync(cancellationToken);
        return sink.Rows;
    }

    private static async Task<List<string>> WriteMediaAsync(ZipArchive zip, List<ExportManifest.FileEntry> files, IPersonalDataSource source, SubjectKeys subject, string code, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        var sink = new MediaSink(async path =>
        {
            if (!File.Exists(path))
            {
                return;
            }

            var entryPath = $"media/{code}/{Path.GetFileName(path)}";
            await WriteEntryAsync(zip, entryPath, files, async stream =>
            {
                await using var file = File.OpenRead(path);
                await file.CopyToAsync(stream, cancellationToken);
                return 0;
            });
            written.Add(entryPath);
        });
        await source.ReadAsync(subject, code, sink, cancellationToken);
        return written;
    }

    private string CoverPage(string reference, string culture, DateTimeOffset generatedAt, IReadOnlyList<ExportManifest.CategoryEntry> categories)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
            string T(string key, params object[] arguments) => html.Encode(localizer[key, arguments]);
            var rows = new StringBuilder();
            foreach (var entry in categories)
            {
                var info = data.Inventory.Find(entry.Code);
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
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    internal static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset instant => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateTime instant => instant.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class RowCounter(Func<long, ValueTask>? onRows)
    {
        private long total;

        public async ValueTask AddAsync()
        {
            if (++total % RowsPerCallback == 0 && onRows is not null)
            {
                await onRows(total);
            }
        }
    }

    private sealed class JsonSink(Utf8JsonWriter json, Stream stream, RowCounter counter) : IRecordSink
    {
        private IReadOnlyList<string> columns = [];

        public long Rows { get; private set; }

        public ValueTask BeginAsync(IReadOnlyList<string> columns)
        {
            this.columns = columns;
            return ValueTask.CompletedTask;
        }

        public async ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i]);
                switch (values[i])
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case long or int or short or decimal or double or float:
                        json.WriteRawValue(Text(values[i]));
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    default:
                        json.WriteStringValue(Text(values[i]));
                        break;
                }
            }

            json.WriteEndObject();
            Rows++;
            await counter.AddAsync();
            if (json.BytesPending > 32 * 1024)
            {
                await json.FlushAsync();
                await stream.FlushAsync();
            }
        }
    }

    private sealed class CsvSink(CsvWriter csv, CancellationToken cancellationToken) : IRecordSink
    {
        public long Rows { get; private set; }

        public async ValueTask BeginAsync(IReadOnlyList<string> columns)
        {
            foreach (var column in columns)
            {
                csv.WriteField(column);
            }

            await csv.EndRecordAsync(cancellationToken);
        }

        public async ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            foreach (var value in values)
            {
                switch (value)
                {
                    // Numbers as numbers: a negative one is not a formula.
                    case long number:
                        csv.WriteField(number, default);
                        break;
                    case int number:
                        csv.WriteField(number, default);
                        break;
                    case double number:
                        csv.WriteField(number, default);
                        break;
                    case decimal number:
                        csv.WriteField(number, default);
                        break;
                    default:
                        csv.WriteField(Text(value));
                        break;
                }
            }

            await csv.EndRecordAsync(cancellationToken);
            Rows++;
        }
    }

    private sealed class MediaSink(Func<string, Task> copy) : IRecordSink
    {
        public ValueTask BeginAsync(IReadOnlyList<string> columns) => ValueTask.CompletedTask;

        public async ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            if (mediaPath is not null)
            {
                await copy(mediaPath);
            }
        }
    }
}
