using System.Text.Json;
using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Webhooks;

/// <summary>
/// One event the company's systems hear of (a choice, a policy agreement withdrawn or given again, a guardian's consent
/// withdrawn), kept for the change feed whether or not a webhook endpoint wants it. Codes and the account id only,
/// as in <see cref="WebhookDelivery"/>: the feed reads the person's identifiers when it is read.
/// </summary>
public sealed class ChangeFeedEntry
{
    public long Id { get; set; }

    /// <summary>One of <see cref="WebhookEvents.All"/>.</summary>
    public required string Event { get; set; }

    public required string SubjectId { get; set; }

    /// <summary>JSON of the event's codes, as its webhook carries them.</summary>
    public string Data { get; set; } = "{}";

    public DateTimeOffset OccurredAt { get; set; }
}

internal sealed class ChangeFeedEntryConfiguration : IEntityTypeConfiguration<ChangeFeedEntry>
{
    public void Configure(EntityTypeBuilder<ChangeFeedEntry> builder)
    {
        builder.Property(e => e.Event).HasMaxLength(64);
        builder.Property(e => e.SubjectId).HasMaxLength(450);
        builder.Property(e => e.Data).HasMaxLength(2000);
    }
}

/// <summary>An event as the feed gives it: the cursor (its id), what happened, to whom, its codes and when.</summary>
public sealed record ChangeFeedEvent(long Cursor, string Event, string SubjectId, IReadOnlyDictionary<string, string> Data, DateTimeOffset OccurredAt);

/// <summary>Reads the change feed for the company's back-end services, oldest first, from a cursor.</summary>
internal sealed class ChangeFeed(IDbContextFactory<ApplicationDbContext> contexts)
{
    public async Task<IReadOnlyList<ChangeFeedEvent>> AfterAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await db.ChangeFeedEntries.AsNoTracking()
            .Where(e => e.Id > after)
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return entries.Select(e => new ChangeFeedEvent(e.Id, e.Event, e.SubjectId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(e.Data) ?? [], e.OccurredAt)).ToList();
    }
}
