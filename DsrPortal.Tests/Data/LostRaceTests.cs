using DsrPortal.Data;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DsrPortal.Tests.Data;

/// <summary>
/// Which database errors count as a lost race (retried against fresh data) and which are faults (shown at
/// once, never as "someone else changed this request"), read from real errors of both databases.
/// </summary>
public sealed class LostRaceTests : IClassFixture<PostgresCluster>
{
    private const string Schema = """
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES parent (id),
            name TEXT NOT NULL,
            code TEXT UNIQUE,
            size INTEGER CHECK (size >= 0));
        INSERT INTO parent (id) VALUES (1);
        INSERT INTO child (id, parent_id, name, code, size) VALUES (1, 1, 'first', 'taken', 1);
        """;

    public static TheoryData<string, bool> Statements => new()
    {
        { "INSERT INTO child (id, parent_id, name, code, size) VALUES (1, 1, 'again', 'other', 1)", true },
        { "INSERT INTO child (id, parent_id, name, code, size) VALUES (2, 1, 'second', 'taken', 1)", true },
        { "INSERT INTO child (id, parent_id, name, code, size) VALUES (3, 1, NULL, 'c3', 1)", false },
        { "INSERT INTO child (id, parent_id, name, code, size) VALUES (4, 99, 'orphan', 'c4', 1)", false },
        { "INSERT INTO child (id, parent_id, name, code, size) VALUES (5, 1, 'negative', 'c5', -1)", false },
    };

    private readonly PostgresCluster cluster;

    public LostRaceTests(PostgresCluster cluster) => this.cluster = cluster;

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Only_a_taken_key_is_a_lost_race_on_SQLite(string statement, bool race)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        await connection.OpenAsync();
        await ExecuteAsync(connection, Schema);

        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, statement));

        Assert.Equal(race, LostRaces.IsLostRace(new DbUpdateException("save failed", error)));
        Assert.Equal(race, LostRaces.IsLostRace((Exception)error));
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Only_a_taken_key_is_a_lost_race_on_PostgreSQL(string statement, bool race)
    {
        await using var connection = new NpgsqlConnection(await cluster.CreateDatabaseAsync($"races_{Guid.NewGuid():N}"));
        await connection.OpenAsync();
        await ExecuteAsync(connection, Schema);

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, statement));

        Assert.Equal(race, LostRaces.IsLostRace(new DbUpdateException("save failed", error)));
        // Raised by a read or a bulk update inside the move, not by the save: the same answer.
        Assert.Equal(race, LostRaces.IsLostRace((Exception)error));
    }

    [Fact]
    public async Task A_busy_SQLite_database_is_a_lost_race()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dsr-busy-{Guid.NewGuid():N}.db");
        try
        {
            await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
            await holder.OpenAsync();
            await ExecuteAsync(holder, "CREATE TABLE t (id INTEGER PRIMARY KEY); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");
            await using var other = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
            await other.OpenAsync();

            var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(other, "BEGIN IMMEDIATE;"));

            Assert.True(LostRaces.IsLostRace(new DbUpdateException("save failed", error)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
