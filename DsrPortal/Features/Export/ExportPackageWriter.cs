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
    /// <param name="zone">The reader's time zone, for the cover page's time; null for the portal's.</param>
    public async Task<ExportManifest> WriteAsync(
        Stream output, SubjectKeys subject, string reference, string culture, DateTimeOffset generatedAt,
        Func<long, ValueTask>? onRows = null, TimeZoneInfo? zone = null, CancellationToken cancellationToken = default,
        IReadOnlyList<(string System, string FileName, Func<Stream> Open)>? systemFiles = null)
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
                // One read of the category feeds all three: the JSON goes straight into the archive, the CSV to a
                // temporary file copied in next (an archive takes one entry at a time), the media paths to a list.
                await using var csvFile = new FileStream(
                    Path.Combine(Path.GetTempPath(), $"dsr-export-{Guid.NewGuid():N}.csv"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                    81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                var mediaPaths = new List<string>();
                var records = await WriteEntryAsync(zip, jsonPath, files,
                    stream => WriteJsonAndCsvAsync(stream, csvFile, mediaPaths, source, subject, code, counter, cancellationToken));
                await WriteEntryAsync(zip, csvPath, files, async stream =>
                {
                    csvFile.Position = 0;
                    await csvFile.CopyToAsync(stream, cancellationToken);
                    return 0;
                });
                var media = await WriteMediaAsync(zip, files, mediaPaths, code, cancellationToken);
                categories.Add(new ExportManifest.CategoryEntry(code, category.Name.In(culture), source.Name, records, [jsonPath, csvPath, .. media]));
            }

            // Files a system's owner exported by hand (a manual task): as they gave them, under the system's name.
            foreach (var group in (systemFiles ?? []).GroupBy(f => f.System))
            {
                var written = new List<string>();
                foreach (var (system, fileName, open) in group)
                {
                    var entryPath = $"systems/{system}/{fileName}";
                    await WriteEntryAsync(zip, entryPath, files, async stream =>
                    {
                        await using var file = open();
                        await file.CopyToAsync(stream, cancellationToken);
                        return 0;
                    });
                    written.Add(entryPath);
                }

                var name = new DataSources.LocalizedText { ["en"] = $"Files from {group.Key}", ["zh-CN"] = $"来自 {group.Key} 的文件" };
                categories.Add(new ExportManifest.CategoryEntry(group.Key, name.In(culture), group.Key, 0, written));
            }

            await WriteEntryAsync(zip, "index.html", files, async stream =>
            {
                await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                await writer.WriteAsync(cover.Render(reference, culture, generatedAt, categories, zone));
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

    private static async Task<long> WriteJsonAndCsvAsync(
        Stream jsonStream, Stream csvStream, List<string> mediaPaths, IPersonalDataSource source, SubjectKeys subject, string code,
        ExportSinks.RowCounter counter, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(jsonStream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        // With a byte-order mark, spreadsheet programs open the Chinese text as UTF-8. Text that a
        // spreadsheet would run as a formula (=, +, -, @) is escaped: the JSON file keeps it exact.
        await using var csv = CsvWriter.Create(csvStream, CsvOptions, leaveOpen: true);
        var jsonSink = new ExportSinks.JsonSink(json, jsonStream, counter);
        json.WriteStartArray();
        await source.ReadAsync(subject, code, new ExportSinks.TeeSink(jsonSink, new ExportSinks.CsvSink(csv, cancellationToken), mediaPaths.Add), cancellationToken);
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        await csv.FlushAsync(cancellationToken);
        return jsonSink.Rows;
    }

    private static async Task<List<string>> WriteMediaAsync(
        ZipArchive zip, List<ExportManifest.FileEntry> files, IEnumerable<string> paths, string code, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        foreach (var path in paths.Where(File.Exists))
        {
            var entryPath = $"media/{code}/{Path.GetFileName(path)}";
            await WriteEntryAsync(zip, entryPath, files, async stream =>
            {
                await using var file = File.OpenRead(path);
                await file.CopyToAsync(stream, cancellationToken);
                return 0;
            });
            written.Add(entryPath);
        }

        return written;
    }

}
