using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using DsrPortal.Features.DataSources;
using DsrPortal.Localization;

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
internal sealed class ExportPackageWriter(PersonalData data, ExportCoverPage cover)
{
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
        var counter = new ExportSinks.RowCounter(onRows);
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
                await writer.WriteAsync(cover.Render(reference, culture, generatedAt, categories));
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

    private static async Task<long> WriteJsonAsync(Stream stream, IPersonalDataSource source, SubjectKeys subject, string code, ExportSinks.RowCounter counter, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var sink = new ExportSinks.JsonSink(json, stream, counter);
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
        var sink = new ExportSinks.CsvSink(csv, cancellationToken);
        await source.ReadAsync(subject, code, sink, cancellationToken);
        await csv.FlushAsync(cancellationToken);
        return sink.Rows;
    }

    private static async Task<List<string>> WriteMediaAsync(ZipArchive zip, List<ExportManifest.FileEntry> files, IPersonalDataSource source, SubjectKeys subject, string code, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        var sink = new ExportSinks.MediaSink(async path =>
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

}
