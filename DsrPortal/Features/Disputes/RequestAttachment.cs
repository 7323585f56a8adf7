using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Disputes;

/// <summary>
/// Evidence attached to a dispute (a screenshot, a letter): PDF, JPEG or PNG recognised by content,
/// encrypted at rest, deleted with the request when its retention period ends.
/// </summary>
public sealed class RequestAttachment
{
    public const int MaxPerRequest = 10;

    public long Id { get; set; }

    public Guid RequestId { get; set; }

    public required string UploadedBy { get; set; }

    public required string UploadedByRole { get; set; }

    /// <summary>The name the file had, reduced to safe characters, for display only.</summary>
    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required byte[] ProtectedContent { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}

internal sealed class RequestAttachmentConfiguration : IEntityTypeConfiguration<RequestAttachment>
{
    public void Configure(EntityTypeBuilder<RequestAttachment> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(a => a.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.RequestId);
        builder.Property(a => a.UploadedBy).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(a => a.UploadedByRole).HasMaxLength(32);
        builder.Property(a => a.FileName).HasMaxLength(120);
        builder.Property(a => a.ContentType).HasMaxLength(32);
    }
}
