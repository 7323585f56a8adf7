using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorRole).HasMaxLength(32);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.SubjectPseudonym).HasMaxLength(64);
        builder.Property(e => e.Details).HasMaxLength(4000);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.Property(e => e.Signature).HasMaxLength(64);
        builder.HasIndex(e => e.RequestId);
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.Action, e.OccurredAt });
        builder.HasIndex(e => e.SubjectPseudonym);
    }
}

internal sealed class AuditHeadConfiguration : IEntityTypeConfiguration<AuditHead>
{
    public void Configure(EntityTypeBuilder<AuditHead> builder)
    {
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(64);
        builder.Property(h => h.PseudonymKey).HasMaxLength(64);
        builder.Property(h => h.PurgedThroughHash).HasMaxLength(64).HasDefaultValue(AuditHasher.Genesis);
        builder.Property(h => h.Version).IsConcurrencyToken();
        builder.Property(h => h.Signature).HasMaxLength(64);
        // The head exists from the first migration, so two first writers cannot both create it; its
        // pseudonym key is drawn at the first append.
        builder.HasData(new AuditHead
        {
            Id = AuditHead.SingletonId,
            LastSequence = 0,
            LastHash = AuditHasher.Genesis,
            PseudonymKey = "",
            Version = new Guid("7d0c3f1e-2a7b-4d55-9a3e-5f1b2c9e0a01"),
        });
    }
}
