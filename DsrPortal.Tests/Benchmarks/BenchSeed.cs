using DsrPortal.Tests.Infrastructure;
using DsrPortal.Features.Requests;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DsrPortal.Tests.Benchmarks;

/// <summary>Volume for the benchmarks, written straight into the databases in one transaction each.</summary>
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

    /// <summary>Raw inserts in one transaction: the realistic shape (statuses, types, due dates) in seconds.</summary>
    public static async Task RequestsAsync(PortalFactory factory, string subjectId, string agentId, int count)
    {
        await using var db = factory.CreateDbContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Requests (Id, Type, Status, Channel, Relation, SubjectId, RequesterId, AssigneeId, ReceivedAt, Profile, DueAt, OriginalDueAt, UpdatedAt, Version)
            VALUES ($id, $type, $status, 'Web', 'Self', $subject, $subject, $assignee, $received, 'CN', $due, $due, $received, 1)
            """;
        var parameters = new[] { "$id", "$type", "$status", "$subject", "$assignee", "$received", "$due" }
            .ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
        var toBinary = new DateTimeOffsetToBinaryConverter();
        var statuses = Enum.GetValues<RequestStatus>();
        var types = Enum.GetValues<RequestType>();
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        for (var i = 0; i < count; i++)
        {
            var received = start.AddMinutes(i * 5.5);
            var status = statuses[i % statuses.Length];
            parameters["$id"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters["$type"].Value = types[(i / statuses.Length) % types.Length].ToString();
            parameters["$status"].Value = status.ToString();
            parameters["$subject"].Value = subjectId;
            parameters["$assignee"].Value = status is RequestStatus.Open or RequestStatus.Submitted ? DBNull.Value : (i % 3 == 0 ? agentId : DBNull.Value);
            parameters["$received"].Value = toBinary.ConvertToProvider(received);
            parameters["$due"].Value = toBinary.ConvertToProvider(received.AddDays(21));
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }
}

/// <summary>A portal whose demo subject holds <paramref name="records"/> reading records in the service database.</summary>
public abstract class ReadingRecordsBench(int records) : IAsyncLifetime
{
    protected PortalFactory Factory { get; } = new(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    /// <summary>The demo subject's id in the service database.</summary>
    protected long ServiceUserId { get; private set; }

    public Task InitializeAsync()
    {
        _ = Factory.Server;
        ServiceUserId = Factory.UserId(ServiceDb.SubjectPhone);
        BenchSeed.ReadingRecords(Factory, ServiceUserId, records);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
