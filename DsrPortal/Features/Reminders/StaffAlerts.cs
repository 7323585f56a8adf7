using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Reminders;

/// <summary>That a staff member's daily digest for a day was sent (or found empty): once per person per day, on any instance.</summary>
public sealed class StaffDigest
{
    public required string UserId { get; set; }

    public DateOnly Day { get; set; }
}

/// <summary>That supervisors were told a request went past this due date: once per request and due date (an extension moves it).</summary>
public sealed class OverdueAlert
{
    public Guid RequestId { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset SentAt { get; set; }
}

internal sealed class StaffDigestConfiguration : IEntityTypeConfiguration<StaffDigest>
{
    public void Configure(EntityTypeBuilder<StaffDigest> builder)
    {
        builder.HasKey(d => new { d.UserId, d.Day });
        builder.Property(d => d.UserId).HasMaxLength(450);
    }
}

internal sealed class OverdueAlertConfiguration : IEntityTypeConfiguration<OverdueAlert>
{
    public void Configure(EntityTypeBuilder<OverdueAlert> builder) => builder.HasKey(a => new { a.RequestId, a.DueAt });
}
