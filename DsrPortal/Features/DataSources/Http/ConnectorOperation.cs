using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.DataSources.Http;

public enum ConnectorOperationState
{
    /// <summary>The service accepted the job and will call back.</summary>
    Sent = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>
/// A deletion a service runs as an asynchronous job: sent once under its operation id (from the stored plan, so a
/// resumed deletion asks again under the same id and the service can tell), then finished by the service's signed callback.
/// </summary>
public sealed class ConnectorOperation
{
    private ConnectorOperation()
    {
    }

    public string Id { get; private set; } = "";

    public string Source { get; private set; } = "";

    public ConnectorOperationState State { get; private set; }

    public long? Rows { get; private set; }

    public DateTimeOffset SentAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public static ConnectorOperation Sent(string id, string source, DateTimeOffset now) =>
        new() { Id = id, Source = source, State = ConnectorOperationState.Sent, SentAt = now };

    /// <summary>The service's callback: once, for a sent operation only.</summary>
    public bool Finish(bool done, long? rows, DateTimeOffset now)
    {
        if (State != ConnectorOperationState.Sent)
        {
            return false;
        }

        State = done ? ConnectorOperationState.Done : ConnectorOperationState.Failed;
        Rows = done ? Math.Max(rows ?? 0, 0) : null;
        FinishedAt = now;
        return true;
    }
}

internal sealed class ConnectorOperationConfiguration : IEntityTypeConfiguration<ConnectorOperation>
{
    public void Configure(EntityTypeBuilder<ConnectorOperation> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(64);
        builder.Property(o => o.Source).HasMaxLength(64);
        builder.Property(o => o.State).HasConversion<string>().HasMaxLength(16);
    }
}
