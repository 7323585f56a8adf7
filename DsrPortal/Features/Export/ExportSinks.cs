using System.Globalization;
using System.Text.Json;
using CsvHelper;
using DsrPortal.Features.DataSources;

namespace DsrPortal.Features.Export;

/// <summary>Where a source's rows go while a package is written: JSON, CSV, or the media files they name.</summary>
internal static class ExportSinks
{
    private const int RowsPerCallback = 5000;

    internal static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset instant => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateTime instant => instant.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal sealed class RowCounter(Func<long, ValueTask>? onRows)
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

    internal sealed class JsonSink(Utf8JsonWriter json, Stream stream, RowCounter counter) : IRecordSink
    {
        private JsonEncodedText[] names = [];

        public long Rows { get; private set; }

        public ValueTask BeginAsync(IReadOnlyList<string> columns)
        {
            // Escaped once, as the writer's own encoder would escape them on every row.
            names = [.. columns.Select(c => JsonEncodedText.Encode(c, json.Options.Encoder))];
            return ValueTask.CompletedTask;
        }

        public async ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            json.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                json.WritePropertyName(names[i]);
                switch (values[i])
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case long number:
                        json.WriteNumberValue(number);
                        break;
                    case int number:
                        json.WriteNumberValue(number);
                        break;
                    case short or decimal or double or float:
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

    internal sealed class CsvSink(CsvWriter csv, CancellationToken cancellationToken) : IRecordSink
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

    /// <summary>One read of a category, written to the JSON and the CSV at once; the files the rows refer to are noted for afterwards.</summary>
    internal sealed class TeeSink(JsonSink json, CsvSink csv, Action<string> media) : IRecordSink
    {
        public async ValueTask BeginAsync(IReadOnlyList<string> columns)
        {
            await json.BeginAsync(columns);
            await csv.BeginAsync(columns);
        }

        public async ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            await json.WriteAsync(values, mediaPath);
            await csv.WriteAsync(values, mediaPath);
            if (mediaPath is not null)
            {
                media(mediaPath);
            }
        }
    }
}
