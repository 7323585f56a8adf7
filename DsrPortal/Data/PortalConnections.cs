using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DsrPortal.Data;

/// <summary>
/// Plain ADO.NET connections to the portal's database, on the same settings as the EF contexts, for the few readers
/// that must not wait for EF to build its model (about a second on first use): the settings laid over the options at
/// start-up, and <c>audit verify</c>, which reads nothing but two tables.
/// </summary>
internal sealed class PortalConnections(DatabaseProvider provider, string connectionString)
{
    /// <summary>These readers never create the database: a file that is not there yet is an error to them, not an empty portal.</summary>
    private readonly string existing = provider == DatabaseProvider.Postgres ? connectionString : ExistingOnly(connectionString);

    public bool IsSqlite => provider != DatabaseProvider.Postgres;

    private static string ExistingOnly(string sqlite)
    {
        var builder = new SqliteConnectionStringBuilder(sqlite);
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return builder.ToString();
    }

    /// <summary>An open connection; on SQLite with the pragmas every portal connection gets (WAL, the busy timeout).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Create();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = Pragmas(connection);
            await (pragmas?.ExecuteNonQueryAsync(cancellationToken) ?? Task.FromResult(0));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The same, for the synchronous options pipeline.</summary>
    public DbConnection Open()
    {
        var connection = Create();
        try
        {
            connection.Open();
            using var pragmas = Pragmas(connection);
            pragmas?.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private DbConnection Create() => IsSqlite ? new SqliteConnection(existing) : new NpgsqlConnection(existing);

    private DbCommand? Pragmas(DbConnection connection)
    {
        if (!IsSqlite)
        {
            return null;
        }

        var command = connection.CreateCommand();
        command.CommandText = SqlitePragmaInterceptor.Pragmas;
        return command;
    }
}
