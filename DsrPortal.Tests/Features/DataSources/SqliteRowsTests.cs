using DsrPortal.Features.DataSources;
using DsrPortal.Features.DataSources.Sql;
using Microsoft.Data.Sqlite;

namespace DsrPortal.Tests.Features.DataSources;

/// <summary>Exports read SQLite sources straight off the statement: every value must be what ADO.NET's reader gives.</summary>
public sealed class SqliteRowsTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dsr-rows-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(path);
    }

    [Fact]
    public async Task Every_storage_class_reads_as_the_ado_reader_reads_it()
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE things (id INTEGER PRIMARY KEY, owner INTEGER, amount REAL, note TEXT, photo BLOB, loose);
                INSERT INTO things VALUES (1, 7, 1.5, '星座 = Taurus, "quoted"', x'00ff10', NULL);
                INSERT INTO things VALUES (2, 7, -0.1, '', NULL, 42);
                INSERT INTO things VALUES (3, 7, NULL, NULL, x'', 'text in an untyped column');
                INSERT INTO things VALUES (4, 8, 9.0, 'someone else', NULL, NULL);
                """;
            await create.ExecuteNonQueryAsync();
        }

        const string sql = "SELECT * FROM things WHERE owner = @key ORDER BY id";
        var raw = new CollectingSink();
        await SqliteRows.ReadAsync(connection, sql, "@key", 7L, "photo", v => v is byte[] { Length: > 0 } ? "media" : null, raw, CancellationToken.None);

        var ado = new List<object?[]>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            command.Parameters.AddWithValue("@key", 7L);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.Equal(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName), raw.Columns);
            while (await reader.ReadAsync())
            {
                ado.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))]);
            }
        }

        Assert.Equal(3, raw.Rows.Count);
        Assert.Equal(ado, raw.Rows);
        Assert.Equal(ado.Select(r => r.Select(v => v?.GetType())), raw.Rows.Select(r => r.Select(v => v?.GetType())));
        Assert.Equal(["media", null, null], raw.Media);
    }

    [Fact]
    public async Task A_text_key_matches_and_a_missing_subject_still_gives_the_columns()
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE logins (phone TEXT, at TEXT); INSERT INTO logins VALUES ('+8613800000000', '2026-01-01');";
            await create.ExecuteNonQueryAsync();
        }

        var found = new CollectingSink();
        await SqliteRows.ReadAsync(connection, "SELECT * FROM logins WHERE phone = @key", "@key", "+8613800000000", null, _ => null, found, CancellationToken.None);
        var none = new CollectingSink();
        await SqliteRows.ReadAsync(connection, "SELECT * FROM logins WHERE 1 = 0", "@key", "", null, _ => null, none, CancellationToken.None);

        Assert.Equal([["+8613800000000", "2026-01-01"]], found.Rows);
        Assert.Equal(["phone", "at"], none.Columns);
        Assert.Empty(none.Rows);
    }

    [Fact]
    public async Task A_broken_query_fails_with_the_engine_s_message()
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();

        var error = await Assert.ThrowsAsync<SqliteException>(() =>
            SqliteRows.ReadAsync(connection, "SELECT * FROM nowhere WHERE x = @key", "@key", 1L, null, _ => null, new CollectingSink(), CancellationToken.None));
        Assert.Contains("no such table: nowhere", error.Message);
    }

    private sealed class CollectingSink : IRecordSink
    {
        public IReadOnlyList<string> Columns { get; private set; } = [];

        public List<object?[]> Rows { get; } = [];

        public List<string?> Media { get; } = [];

        public ValueTask BeginAsync(IReadOnlyList<string> columns)
        {
            Columns = columns;
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            // The source reuses its array: a sink that keeps rows copies them.
            Rows.Add((object?[])values.Clone());
            Media.Add(mediaPath);
            return ValueTask.CompletedTask;
        }
    }
}
