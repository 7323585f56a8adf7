using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DsrPortal.Features.DataSources.Sql;

/// <summary>
/// A SQLite source's rows read straight off the engine's statement: the values ADO.NET's reader would give
/// (<see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="byte"/>[] or null by storage class)
/// without its per-value checks, which cost an export of 400,000 rows more than the engine itself did.
/// </summary>
internal static class SqliteRows
{
    private const int RowsBetweenCancellationChecks = 4096;

    public static async Task ReadAsync(
        SqliteConnection connection, string sql, string parameter, object key, string? mediaColumn, Func<object?, string?> mediaPath,
        IRecordSink sink, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            var index = raw.sqlite3_bind_parameter_index(statement, parameter);
            if (index > 0)
            {
                Check(db, key is long number ? raw.sqlite3_bind_int64(statement, index, number) : raw.sqlite3_bind_text(statement, index, (string)key));
            }

            var columns = Enumerable.Range(0, raw.sqlite3_column_count(statement)).Select(i => raw.sqlite3_column_name(statement, i).utf8_to_string()).ToList();
            var media = mediaColumn is null ? -1 : columns.FindIndex(c => string.Equals(c, mediaColumn, StringComparison.OrdinalIgnoreCase));
            await sink.BeginAsync(columns);
            // One array for every row: a sink writes a row before it asks for the next and keeps none of it.
            var values = new object?[columns.Count];
            int step;
            for (var row = 1; (step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW; row++)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = raw.sqlite3_column_type(statement, i) switch
                    {
                        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, i),
                        raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, i),
                        raw.SQLITE_TEXT => Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, i)),
                        raw.SQLITE_BLOB => raw.sqlite3_column_blob(statement, i).ToArray(),
                        _ => null,
                    };
                }

                await sink.WriteAsync(values, media >= 0 ? mediaPath(values[media]) : null);
                if (row % RowsBetweenCancellationChecks == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(db, step);
            }
        }
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", result);
        }
    }
}
