using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Guardians;

public enum GuardianLinkStatus
{
    /// <summary>The minor invited someone by email; nobody has accepted yet.</summary>
    Invited = 1,
    /// <summary>A guardian account is linked; its proof documents are still to come.</summary>
    AwaitingDocuments = 2,
    /// <summary>Documents uploaded; an agent checks them, against a deadline.</summary>
    PendingVerification = 3,
    Verified = 4,
    Refused = 5,
    /// <summary>Ended by the guardian, the minor or staff.</summary>
    Revoked = 6,
}

public enum GuardianLinkOrigin
{
    InvitedByMinor = 1,
    RequestedByGuardian = 2,
}

/// <summary>
/// A guardian's link to a minor's account. Only a verified link, for a minor still under the age limit,
/// lets the guardian act for the minor; every page and endpoint checks it on every call.
/// </summary>
public sealed class GuardianLink
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string MinorId { get; set; }

    public string? GuardianId { get; set; }

    public GuardianLinkOrigin Origin { get; set; }

    public GuardianLinkStatus Status { get; set; }

    /// <summary>SHA-256 of the invitation token sent by email; the token itself is never stored.</summary>
    public string? InvitationTokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the documents arrived: the verification clock starts here.</summary>
    public DateTimeOffset? ReceivedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>How the link was verified: which documents, of what type, checked by whom. The documents themselves are gone.</summary>
    public string? VerificationMethod { get; set; }

    public string? RefusalReason { get; set; }

    /// <summary>The guardian's written consent (clause 6), verified with the link; withdrawable.</summary>
    public DateTimeOffset? ConsentGivenAt { get; set; }

    public DateTimeOffset? ConsentWithdrawnAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndedBy { get; set; }

    public int Version { get; set; }

    public bool ConsentInForce => ConsentGivenAt is not null && ConsentWithdrawnAt is null;
}

public enum GuardianDocumentKind
{
    ProofOfGuardianship = 1,
    WrittenConsent = 2,
}

/// <summary>An uploaded proof document, encrypted, kept only until the link is decided.</summary>
public sealed class GuardianDocument
{
    public long Id { get; set; }

    public Guid LinkId { get; set; }

    public GuardianDocumentKind Kind { get; set; }

    /// <summary>Detected from the content (PDF, JPEG or PNG), never taken from the file name.</summary>
    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>Data Protection ciphertext of the file.</summary>
    public required byte[] ProtectedContent { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}

internal sealed class GuardianLinkConfiguration : IEntityTypeConfiguration<GuardianLink>
{
    public void Configure(EntityTypeBuilder<GuardianLink> builder)
    {
        builder.HasKey(l => l.Id);
        builder.HasIndex(l => new { l.GuardianId, l.Status });
        builder.HasIndex(l => new { l.MinorId, l.Status });
        builder.HasIndex(l => new { l.Status, l.DueAt });
        builder.HasIndex(l => l.InvitationTokenHash).IsUnique();
        builder.Property(l => l.MinorId).HasMaxLength(450);
        builder.Property(l => l.GuardianId).HasMaxLength(450);
        builder.Property(l => l.DecidedBy).HasMaxLength(450);
        builder.Property(l => l.EndedBy).HasMaxLength(450);
        builder.Property(l => l.InvitationTokenHash).HasMaxLength(64);
        builder.Property(l => l.VerificationMethod).HasMaxLength(500);
        builder.Property(l => l.RefusalReason).HasMaxLength(1000);
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(l => l.Origin).HasConversion<string>().HasMaxLength(24);
        builder.Property(l => l.Version).IsConcurrencyToken();
    }
}

internal sealed class GuardianDocumentConfiguration : IEntityTypeConfiguration<GuardianDocument>
{
    public void Configure(EntityTypeBuilder<GuardianDocument> builder)
    {
        builder.HasOne<GuardianLink>().WithMany().HasForeignKey(d => d.LinkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => d.LinkId);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(d => d.ContentType).HasMaxLength(32);
    }
}
