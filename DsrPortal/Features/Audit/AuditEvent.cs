using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Audit;

/// <summary>
/// One link of the tamper-evident trail. Ids, codes and non-personal details only: a deletion never has
/// to touch these rows (docs/decisions/0002-audit-versus-erasure.md).
/// </summary>
public sealed class AuditEvent
{
    public long Sequence { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The acting account's id, or "system" for background work.</summary>
    public required string ActorId { get; init; }

    public required string ActorRole { get; init; }

    /// <summary>A code from <see cref="AuditActions"/>.</summary>
    public required string Action { get; init; }

    public Guid? RequestId { get; init; }

    /// <summary>Keyed hash of the subject's account id: links a subject's events without naming them.</summary>
    public string? SubjectPseudonym { get; init; }

    /// <summary>Canonical JSON of non-personal details (codes, dates, counts).</summary>
    public string Details { get; init; } = "{}";

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }

    /// <summary>HMAC of <see cref="Hash"/> under the signing key kept outside the database (<see cref="AuditKey"/>).</summary>
    public string? Signature { get; set; }
}

/// <summary>The end of the chain: one row, updated with every append, so two writers cannot fork it.</summary>
public sealed class AuditHead
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = AuditHasher.Genesis;

    /// <summary>Random per deployment; makes subject pseudonyms unlinkable to account ids without it.</summary>
    public string PseudonymKey { get; set; } = "";

    /// <summary>
    /// Retention purges remove the oldest events; the chain then starts after this event, whose hash
    /// the next event still links to. Zero while nothing was purged.
    /// </summary>
    public long PurgedThroughSequence { get; set; }

    public string PurgedThroughHash { get; set; } = AuditHasher.Genesis;

    /// <summary>Changed on every append: the concurrency token that serialises writers.</summary>
    public Guid Version { get; set; }

    /// <summary>HMAC of the head's fields under the signing key: a head wound back or moved by hand does not match.</summary>
    public string? Signature { get; set; }
}

public static class AuditActions
{
    public const string AccountRegistered = "account.registered";
    public const string StaffCreated = "staff.created";
    public const string StaffDisabled = "staff.disabled";
    public const string StaffEnabled = "staff.enabled";
    public const string RequestSubmitted = "request.submitted";
    public const string RequestStatusChanged = "request.status-changed";
    public const string RequestClaimed = "request.claimed";
    public const string RequestReassigned = "request.reassigned";
    public const string RequestExtended = "request.extended";
    public const string RequestMessage = "request.message";
    public const string PersonalDataRevealed = "personal-data.revealed";
    public const string RetentionPurged = "retention.purged";
    public const string SettingsChanged = "settings.changed";
    public const string PolicyPublished = "policy.published";
    public const string ConsentAgreed = "consent.agreed";
    public const string ConsentWithdrawn = "consent.withdrawn";
    public const string PreferenceChanged = "preference.changed";
    public const string PurposeAdded = "purpose.added";
    public const string PurposeRetired = "purpose.retired";
    public const string NoticeSent = "notice.sent";
    public const string NoticeAnswered = "notice.answered";
    public const string ServiceEndAnnounced = "service-end.announced";
    public const string ServiceEndCancelled = "service-end.cancelled";
    public const string ServiceEndStage = "service-end.stage";
    public const string ServiceEndSwept = "service-end.swept";
    public const string ServiceEndFinished = "service-end.finished";
    public const string RelativeClaimSubmitted = "deceased.claim-submitted";
    public const string RelativeDocumentViewed = "deceased.document-viewed";
    public const string RelativeClaimVerified = "deceased.claim-verified";
    public const string RelativeClaimRefused = "deceased.claim-refused";
    public const string LegacyArranged = "deceased.arrangement-recorded";
    public const string SavedReplySaved = "saved-reply.saved";
    public const string SavedReplyDeleted = "saved-reply.deleted";
    public const string FulfilmentScheduled = "fulfilment.scheduled";
    public const string FulfilmentFailed = "fulfilment.failed";
    public const string FulfilmentCancelled = "fulfilment.cancelled";
    public const string FulfilmentRetried = "fulfilment.retried";
    public const string ExportReady = "export.ready";
    public const string ExportDownloaded = "export.downloaded";
    public const string ExportPurged = "export.purged";
    public const string ErasureStep = "erasure.step";
    public const string CorrectionDecided = "correction.decided";
    public const string DisputeProposed = "dispute.proposed";
    public const string DisputeProposalAnswered = "dispute.proposal-answered";
    public const string DisputeEscalated = "dispute.escalated";
    public const string EvidenceAdded = "request.evidence-added";
    public const string EvidenceOpened = "request.evidence-opened";
    public const string DisputeRecordDownloaded = "dispute.record-downloaded";
    public const string GuardianInvited = "guardian.invited";
    public const string GuardianLinked = "guardian.linked";
    public const string GuardianDocumentsSubmitted = "guardian.documents-submitted";
    public const string GuardianDocumentViewed = "guardian.document-viewed";
    public const string GuardianVerified = "guardian.verified";
    public const string GuardianRefused = "guardian.refused";
    public const string GuardianLinkEnded = "guardian.link-ended";
    public const string GuardianConsentWithdrawn = "guardian.consent-withdrawn";
    public const string PhoneNumberProven = "account.phone-proven";
    public const string PhoneSignIn = "account.phone-sign-in";
    public const string RequestStepUp = "request.identity-confirmed";
    public const string RequestVerificationReminded = "request.verification-reminded";
    public const string RequestRequesterReminded = "request.requester-reminded";
    public const string ManualTaskSent = "manual-task.sent";
    public const string ManualTaskAnswered = "manual-task.answered";
    public const string ManualTaskReminded = "manual-task.reminded";
    public const string GuestProven = "account.guest-proven";
    public const string GuestLinkUsed = "account.guest-link-used";
    public const string AgentRequested = "agent.requested";
    public const string AgentConfirmed = "agent.confirmed";
    public const string AgentDenied = "agent.denied";
    public const string AgentDocumentPurged = "agent.document-purged";
    public const string EmailsResent = "outbox.resent";
    public const string WebhooksResent = "webhooks.resent";
}

public static class AuditRoles
{
    public const string System = "System";
}

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
