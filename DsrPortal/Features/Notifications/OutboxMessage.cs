using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Notifications;

public enum OutboxStatus
{
    Pending = 1,
    Sent = 2,
    Failed = 3,
}

/// <summary>
/// An email waiting to go out, written in the same transaction as the change it announces. It names
/// the recipient by account id: the address and language are looked up when it is sent.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public required string Template { get; set; }

    public required string RecipientUserId { get; set; }

    public Guid? RequestId { get; set; }

    /// <summary>The notice this message carries: its text is read in the recipient's language when it is sent.</summary>
    public long? NoticeId { get; set; }

    /// <summary>
    /// Only for the last email to an account that no longer exists (a completed log-off): the address and
    /// language taken before it was anonymised. Cleared once sent.
    /// </summary>
    public string? Address { get; set; }

    public string? Culture { get; set; }

    /// <summary>JSON of the template's values (reference, dates, reason codes).</summary>
    public string Values { get; set; } = "{}";

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The transport's error type and message, never the message content.</summary>
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.Template).HasMaxLength(64);
        builder.Property(m => m.RecipientUserId).HasMaxLength(450);
        // Unbounded: free text such as a refusal's explanation travels in it.
        builder.Property(m => m.Values);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.LeaseOwner).HasMaxLength(128);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        // The worker's poll: pending messages whose time has come, oldest first.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => m.RequestId);
        builder.HasIndex(m => m.NoticeId);
    }
}
