using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Webhooks;

public enum WebhookStatus
{
    Pending = 1,
    Sent = 2,
    Failed = 3,
}

/// <summary>
/// One event on its way to one of the company's endpoints, written in the same transaction as the change it
/// announces. It holds codes only (the event's <see cref="Data"/>) and the account id: the person's identifiers
/// are looked up when it is sent, so nothing personal waits in this table.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }

    /// <summary>The configured endpoint's name (<c>Webhooks:Endpoints:N:Name</c>).</summary>
    public required string Endpoint { get; set; }

    /// <summary>What happened, e.g. <c>preference.changed</c>.</summary>
    public required string Event { get; set; }

    public required string SubjectId { get; set; }

    /// <summary>JSON of the event's codes (purpose, decision, channel, policy version...).</summary>
    public string Data { get; set; } = "{}";

    public DateTimeOffset OccurredAt { get; set; }

    public WebhookStatus Status { get; set; } = WebhookStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The HTTP status or the error's type, never the body.</summary>
    public string? LastError { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.Endpoint).HasMaxLength(64);
        builder.Property(d => d.Event).HasMaxLength(64);
        builder.Property(d => d.SubjectId).HasMaxLength(450);
        builder.Property(d => d.Data).HasMaxLength(2000);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LeaseOwner).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
    }
}
