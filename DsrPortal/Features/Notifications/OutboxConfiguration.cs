using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Notifications;

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
    }
}
