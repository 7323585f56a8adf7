using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Deceased;

/// <summary>Who the person asking was to the deceased: the close relatives of the Civil Code (Art. 1045), or the person the deceased named.</summary>
public enum Kinship
{
    Spouse = 1,
    Parent = 2,
    Child = 3,
    Sibling = 4,
    Grandparent = 5,
    Grandchild = 6,

    /// <summary>The person the deceased named, while alive, to decide about their data.</summary>
    NamedByDeceased = 7,
}

public enum RelativeClaimStatus
{
    /// <summary>Documents received; an agent checks them, against a deadline.</summary>
    Submitted = 1,

    /// <summary>Death and relationship proven: the request goes on with the relative as requester.</summary>
    Verified = 2,

    Refused = 3,
}

public enum RelativeDocumentKind
{
    DeathCertificate = 1,
    ProofOfRelationship = 2,
}

/// <summary>
/// A close relative asking to see, copy or delete a deceased user's data for their own lawful interests (PIPL Art.
/// 49). It waits for an agent to check the documents; verified, it becomes an ordinary request with the relative as
/// requester; either way the documents are then deleted and only the outcome kept.
/// </summary>
public sealed class RelativeClaim
{
    public const int InterestMaxLength = 2000;
    public const int ReasonMaxLength = 1000;

    public Guid Id { get; set; }

    public required string RelativeId { get; set; }

    /// <summary>The account the identifier given matched; null when none did (the relative is not told, so no one can probe for accounts).</summary>
    public string? DeceasedId { get; set; }

    public Kinship Kinship { get; set; }

    /// <summary>Export (to see and copy), Correction (of one field) or Deletion (of the whole account).</summary>
    public RequestType Asked { get; set; }

    /// <summary>For a correction: the field (a key of the correctable fields) and the value asked for.</summary>
    public string? CorrectionField { get; set; }

    public string? CorrectionValue { get; set; }

    /// <summary>The relative's own lawful interest in asking, in their words.</summary>
    public required string Interest { get; set; }

    public RelativeClaimStatus Status { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? RefusalReason { get; set; }

    /// <summary>What was checked, kept after the documents are gone: kinds, types and sizes.</summary>
    public string? Checked { get; set; }

    /// <summary>The request the verified claim became.</summary>
    public Guid? RequestId { get; set; }
}

public sealed class RelativeDocument
{
    public long Id { get; set; }

    public Guid ClaimId { get; set; }

    public RelativeDocumentKind Kind { get; set; }

    /// <summary>Detected from the content (PDF, JPEG or PNG), never taken from the file name.</summary>
    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>Data Protection ciphertext of the file.</summary>
    public required byte[] ProtectedContent { get; set; }
}

public enum LegacyChoice
{
    /// <summary>What the law provides: close relatives may ask, for their own lawful interests.</summary>
    Relatives = 1,

    /// <summary>Nobody may see, copy, correct or delete the data on the person's behalf after their death.</summary>
    Nobody = 2,

    /// <summary>Only the person named may.</summary>
    NamedPerson = 3,
}

/// <summary>What a user arranged, while alive, for their data after their death; appended, the latest in force.</summary>
public sealed class LegacyArrangement
{
    public const int NameMaxLength = 100;

    public long Id { get; set; }

    public required string UserId { get; set; }

    public LegacyChoice Choice { get; set; }

    /// <summary>The named person's name and how to recognise them (an email address or mobile number), as the user wrote them.</summary>
    public string? PersonName { get; set; }

    public string? PersonContact { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class RelativeClaimConfiguration : IEntityTypeConfiguration<RelativeClaim>
{
    public void Configure(EntityTypeBuilder<RelativeClaim> builder)
    {
        builder.Property(c => c.RelativeId).HasMaxLength(450);
        builder.Property(c => c.DeceasedId).HasMaxLength(450);
        builder.Property(c => c.DecidedBy).HasMaxLength(450);
        builder.Property(c => c.Kinship).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Asked).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Interest).HasMaxLength(RelativeClaim.InterestMaxLength);
        builder.Property(c => c.RefusalReason).HasMaxLength(RelativeClaim.ReasonMaxLength);
        builder.Property(c => c.Checked).HasMaxLength(200);
        builder.Property(c => c.CorrectionField).HasMaxLength(Corrections.CorrectionItem.FieldMaxLength);
        builder.Property(c => c.CorrectionValue).HasMaxLength(Corrections.CorrectionItem.ValueMaxLength);
        builder.HasIndex(c => new { c.Status, c.DueAt });
        builder.HasIndex(c => c.RelativeId);
    }
}

internal sealed class RelativeDocumentConfiguration : IEntityTypeConfiguration<RelativeDocument>
{
    public void Configure(EntityTypeBuilder<RelativeDocument> builder)
    {
        builder.HasOne<RelativeClaim>().WithMany().HasForeignKey(d => d.ClaimId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => d.ClaimId);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(d => d.ContentType).HasMaxLength(32);
    }
}

internal sealed class LegacyArrangementConfiguration : IEntityTypeConfiguration<LegacyArrangement>
{
    public void Configure(EntityTypeBuilder<LegacyArrangement> builder)
    {
        builder.Property(a => a.UserId).HasMaxLength(450);
        builder.Property(a => a.Choice).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.PersonName).HasMaxLength(LegacyArrangement.NameMaxLength);
        builder.Property(a => a.PersonContact).HasMaxLength(254);
        builder.HasIndex(a => new { a.UserId, a.Id });
    }
}
