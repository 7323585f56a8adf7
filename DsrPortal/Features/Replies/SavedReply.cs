using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Replies;

/// <summary>
/// A reply customer service writes again and again, kept by supervisors in one language, with placeholders the
/// portal fills from the request when an agent inserts it into the message box (where it can still be edited).
/// </summary>
public sealed class SavedReply
{
    public const int TitleMaxLength = 100;

    public int Id { get; set; }

    public required string Title { get; set; }

    /// <summary>"en" or "zh-CN": the language the reply is written in.</summary>
    public required string Culture { get; set; }

    public required string Body { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SavedReplyConfiguration : IEntityTypeConfiguration<SavedReply>
{
    public void Configure(EntityTypeBuilder<SavedReply> builder)
    {
        builder.Property(r => r.Title).HasMaxLength(SavedReply.TitleMaxLength);
        builder.Property(r => r.Culture).HasMaxLength(16);
        builder.Property(r => r.Body).HasMaxLength(RequestMessage.BodyMaxLength);
        builder.Property(r => r.UpdatedBy).HasMaxLength(450);
        builder.HasIndex(r => new { r.Culture, r.Title });
    }
}
