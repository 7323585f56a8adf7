using System.IO.Compression;
using System.Text.Json;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Export;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DsrPortal.Tests.Features.Fulfilment;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory measurements (run alone)";
}

/// <summary>The export streams end to end: a subject with 200,000 records does not need 200,000 records' worth of memory.</summary>
[Collection(MemoryCollection.Name)]
public sealed class ExportMemoryTests : IAsyncLifetime
{
    private const int Records = 200_000;
    private readonly PortalFactory factory = new();

    public Task InitializeAsync()
    {
        _ = factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Exporting_200000_records_keeps_the_managed_heap_flat()
    {
        var userId = factory.UserId(ServiceDb.SubjectPhone);
        var existing = factory.CountForUserId("reading_records", userId);
        AddReadingRecords(userId);
        var subject = await factory.ActorAsync("subject@demo.local");
        var keys = (await factory.Services.GetRequiredService<PersonalData>().KeysAsync(subject.UserId, CancellationToken.None))!;
        var writer = factory.Services.GetRequiredService<ExportPackageWriter>();
        var path = Path.Combine(factory.Folder, "big.zip");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var samples = 0;
        await using (var file = File.Create(path))
        {
            await writer.WriteAsync(file, keys, "DSR-2026-000001", "en", DateTimeOffset.UtcNow, _ =>
            {
                // What is still alive after a full collection: the rows already written must not be.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                samples++;
                return ValueTask.CompletedTask;
            });
        }

        using var zip = ZipFile.OpenRead(path);
        var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
        var reading = manifest.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "ReadingRecords");
        Assert.Equal(existing + Records, reading.GetProperty("records").GetInt64());
        Assert.True(samples >= Records / 5000, $"Only {samples} samples were taken.");
        // Buffered, 200,000 rows of 5 columns would hold well over 100 MB; streamed, a few buffers.
        Assert.True(peak < 24 * 1024 * 1024, $"The heap grew by {peak / (1024 * 1024)} MB while exporting.");
    }

    private void AddReadingRecords(long userId)
    {
        using var connection = new SqliteConnection($"Data Source={factory.ServiceDatabasePath};Pooling=false");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO reading_records (id, user_id, dynamic_id, visited_at, duration_seconds) VALUES (@id, @user, @dynamic, @at, @seconds)";
        var id = command.Parameters.Add("@id", SqliteType.Integer);
        command.Parameters.AddWithValue("@user", userId);
        var dynamic = command.Parameters.Add("@dynamic", SqliteType.Integer);
        var at = command.Parameters.Add("@at", SqliteType.Text);
        var seconds = command.Parameters.Add("@seconds", SqliteType.Integer);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < Records; i++)
        {
            id.Value = 10_000_000 + i;
            dynamic.Value = i % 500 + 1;
            at.Value = start.AddSeconds(i * 97).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            seconds.Value = i % 300;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
