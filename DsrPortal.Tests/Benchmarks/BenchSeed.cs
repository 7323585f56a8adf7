using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>Volume for the benchmarks, written straight into the demo service's database in one transaction.</summary>
internal static class BenchSeed
{
    public static void ReadingRecords(PortalFactory factory, long serviceUserId, int records)
    {
        using var connection = new SqliteConnection($"Data Source={factory.ServiceDatabasePath};Pooling=false");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO reading_records (id, user_id, dynamic_id, visited_at, duration_seconds) VALUES (@id, @user, 1, '2026-01-01T00:00:00Z', 30)";
        var id = command.Parameters.Add("@id", SqliteType.Integer);
        command.Parameters.AddWithValue("@user", serviceUserId);
        for (var i = 0; i < records; i++)
        {
            id.Value = 20_000_000 + i;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
