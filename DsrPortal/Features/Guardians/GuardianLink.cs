using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

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
/// lets the guardian act for the minor; every page and endpoint checks it on every call. Every change
/// goes through one method here, which refuses an illegal move with a <see cref="RequestRuleException"/>.
/// </summary>
public sealed class GuardianLink
{
    public const int ReasonMaxLength = 1000;

    private GuardianLink()
    {
    }

    public Guid Id { get; private set; }

    public string MinorId { get; private set; } = "";

    public string? GuardianId { get; private set; }

    public GuardianLinkOrigin Origin { get; private set; }

    public GuardianLinkStatus Status { get; private set; }

    /// <summary>SHA-256 of the invitation token sent by email; the token itself is never stored.</summary>
    public string? InvitationTokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the documents arrived: the verification clock starts here.</summary>
    public DateTimeOffset? ReceivedAt { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>How the link was verified: which documents, of what type, checked by whom. The documents themselves are gone.</summary>
    public string? VerificationMethod { get; private set; }

    public string? RefusalReason { get; private set; }

    /// <summary>The guardian's written consent (clause 6), verified with the link; withdrawable.</summary>
    public DateTimeOffset? ConsentGivenAt { get; private set; }

    public DateTimeOffset? ConsentWithdrawnAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public string? EndedBy { get; private set; }

    /// <summary>Bumped by every change: of two people acting on the link at once, one is told it changed.</summary>
    public int Version { get; private set; }

    public bool ConsentInForce => ConsentGivenAt is not null && ConsentWithdrawnAt is null;

    /// <summary>The minor invites someone by email; whoever holds the token may accept.</summary>
    public static GuardianLink Invite(string minorId, string invitationTokenHash, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        MinorId = minorId,
        Origin = GuardianLinkOrigin.InvitedByMinor,
        Status = GuardianLinkStatus.Invited,
        InvitationTokenHash = invitationTokenHash,
        CreatedAt = now,
    };

    /// <summary>A guardian names the minor's account; their proof documents come next.</summary>
    public static GuardianLink RequestedBy(string guardianId, string minorId, DateTimeOffset now)
    {
        Require(guardianId != minorId, "Invite your parent or guardian, not yourself.");
        return new GuardianLink
        {
            Id = Guid.NewGuid(),
            MinorId = minorId,
            GuardianId = guardianId,
            Origin = GuardianLinkOrigin.RequestedByGuardian,
            Status = GuardianLinkStatus.AwaitingDocuments,
            CreatedAt = now,
        };
    }

    /// <summary>The invited person, signed in, accepts: the link is theirs, and the token can never be used again.</summary>
    public void Accept(string guardianId)
    {
        Require(Status == GuardianLinkStatus.Invited, "This invitation is not valid any more. Ask for a new one.");
        Require(guardianId != MinorId, "Invite your parent or guardian, not yourself.");
        GuardianId = guardianId;
        InvitationTokenHash = null;
        MoveTo(GuardianLinkStatus.AwaitingDocuments);
    }

    /// <summary>The proof and the written consent arrived: an agent checks them by <paramref name="dueAt"/>.</summary>
    public void ReceiveDocuments(DateTimeOffset dueAt, DateTimeOffset now)
    {
        Require(Status == GuardianLinkStatus.AwaitingDocuments, "The documents for this link have already been sent.");
        ReceivedAt = now;
        DueAt = dueAt;
        MoveTo(GuardianLinkStatus.PendingVerification);
    }

    /// <summary>The documents prove the guardianship: the guardian may act for the minor, and their written consent is in force.</summary>
    public void Verify(string deciderId, string method, DateTimeOffset now)
    {
        Require(Status == GuardianLinkStatus.PendingVerification, "Only a link waiting for verification can be decided.");
        Decide(deciderId, method, now);
        ConsentGivenAt = now;
        MoveTo(GuardianLinkStatus.Verified);
    }

    public void Refuse(string deciderId, string method, string reason, DateTimeOffset now)
    {
        Require(Status == GuardianLinkStatus.PendingVerification, "Only a link waiting for verification can be decided.");
        Require(!string.IsNullOrWhiteSpace(reason), "Give the reason for refusing: the guardian is told.");
        Require(reason.Trim().Length <= ReasonMaxLength, "Keep the reason to 1000 characters.");
        Decide(deciderId, method, now);
        RefusalReason = reason.Trim();
        MoveTo(GuardianLinkStatus.Refused);
    }

    /// <summary>The guardian, the minor or staff ends the link: the guardian's access stops at once.</summary>
    public void End(string actorId, DateTimeOffset now)
    {
        Require(Status != GuardianLinkStatus.Revoked, "This link has already ended.");
        EndedAt = now;
        EndedBy = actorId;
        InvitationTokenHash = null;
        MoveTo(GuardianLinkStatus.Revoked);
    }

    /// <summary>The guardian withdraws the written consent the policy needs; the link itself stays.</summary>
    public void WithdrawConsent(DateTimeOffset now)
    {
        Require(Status == GuardianLinkStatus.Verified, "Only a verified link has a written consent to withdraw.");
        Require(ConsentInForce, "The written consent has already been withdrawn.");
        ConsentWithdrawnAt = now;
        Version++;
    }

    private void Decide(string deciderId, string method, DateTimeOffset now)
    {
        DecidedBy = deciderId;
        DecidedAt = now;
        VerificationMethod = method;
    }

    private void MoveTo(GuardianLinkStatus next)
    {
        Status = next;
        Version++;
    }
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
        builder.Property(l => l.RefusalReason).HasMaxLength(GuardianLink.ReasonMaxLength);
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
