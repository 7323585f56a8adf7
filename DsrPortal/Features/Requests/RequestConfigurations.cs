using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Requests;

internal sealed class DataSubjectRequestConfiguration : IEntityTypeConfiguration<DataSubjectRequest>
{
    public void Configure(EntityTypeBuilder<DataSubjectRequest> builder)
    {
        builder.ToTable("Requests");
        // The number is the key so that both databases generate it (SQLite only auto-numbers its primary key);
        // the random Id is what URLs and the API expose, so references cannot be enumerated.
        builder.HasKey(r => r.Number);
        builder.Property(r => r.Number).ValueGeneratedOnAdd();
        builder.HasAlternateKey(r => r.Id);
        builder.Ignore(r => r.Reference);
        builder.Ignore(r => r.IsClosed);
        builder.Ignore(r => r.CategoryList);
        builder.Property(r => r.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Relation).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Profile).HasConversion<string>().HasMaxLength(8);
        builder.Property(r => r.DeletionScope).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.DisputeSubject).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.RefusalReason).HasConversion<string>().HasMaxLength(48);
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.EscalationReason).HasMaxLength(DataSubjectRequest.ReasonMaxLength);
        builder.Property(r => r.SubjectId).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(r => r.RequesterId).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(r => r.AssigneeId).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(r => r.ExtensionReason).HasMaxLength(DataSubjectRequest.ReasonMaxLength);
        builder.Property(r => r.VerificationMethod).HasMaxLength(DataSubjectRequest.VerificationMethodMaxLength);
        builder.Property(r => r.Categories).HasMaxLength(256);
        builder.Property(r => r.Description).HasMaxLength(DataSubjectRequest.TextMaxLength);
        builder.Property(r => r.CorrectionField).HasMaxLength(Corrections.CorrectionItem.FieldMaxLength);
        builder.Property(r => r.CorrectionCurrentValue).HasMaxLength(Corrections.CorrectionItem.ValueMaxLength);
        builder.Property(r => r.CorrectionProposedValue).HasMaxLength(Corrections.CorrectionItem.ValueMaxLength);
        builder.Property(r => r.RefusalExplanation).HasMaxLength(DataSubjectRequest.TextMaxLength);
        builder.Property(r => r.OutcomeNote).HasMaxLength(DataSubjectRequest.TextMaxLength);
        builder.Property(r => r.Version).IsConcurrencyToken();

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.SubjectId).OnDelete(DeleteBehavior.Restrict);
        // The queue's filters and orderings, each served by an index rather than a scan.
        builder.HasIndex(r => new { r.Status, r.DueAt });
        builder.HasIndex(r => new { r.AssigneeId, r.DueAt });
        builder.HasIndex(r => r.DueAt);
        builder.HasIndex(r => r.ReceivedAt);
        builder.HasIndex(r => new { r.SubjectId, r.ReceivedAt });
        builder.HasIndex(r => new { r.Type, r.DueAt });
        builder.HasIndex(r => new { r.Channel, r.DueAt });
    }
}

internal sealed class RequestMessageConfiguration : IEntityTypeConfiguration<RequestMessage>
{
    public void Configure(EntityTypeBuilder<RequestMessage> builder)
    {
        builder.Property(m => m.AuthorId).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(m => m.AuthorRole).HasMaxLength(32);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Body).HasMaxLength(RequestMessage.BodyMaxLength);
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(m => m.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.RequestId, m.SentAt });
    }
}
