using System.Globalization;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Requests;

/// <summary>
/// A data subject's request and its lifecycle. Every change of state goes through one method here,
/// which refuses an illegal move with a <see cref="RequestRuleException"/> before changing anything.
/// </summary>
public sealed class DataSubjectRequest
{
    public const int TextMaxLength = 4000;

    /// <summary>An extension's, escalation's or spam verdict's reason.</summary>
    public const int ReasonMaxLength = 1000;

    public const int VerificationMethodMaxLength = 200;

    private DataSubjectRequest()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Assigned by the database; the reference is built from it.</summary>
    public long Number { get; private set; }

    public RequestType Type { get; private set; }

    public RequestStatus Status { get; private set; }

    public RequestChannel Channel { get; private set; }

    public RequesterRelation Relation { get; private set; }

    /// <summary>The person whose data it is.</summary>
    public string SubjectId { get; private set; } = "";

    /// <summary>Who made the request: the subject, or an agent logging a call for them.</summary>
    public string RequesterId { get; private set; } = "";

    public string? AssigneeId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public DeadlineProfile Profile { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public DateTimeOffset OriginalDueAt { get; private set; }

    public DateTimeOffset? ExtendedAt { get; private set; }

    public string? ExtensionReason { get; private set; }

    public DateTimeOffset? PausedAt { get; private set; }

    /// <summary>When the deadline last started afresh (GDPR, once the information asked for arrived); null: at receipt.</summary>
    public DateTimeOffset? ClockRestartedAt { get; private set; }

    /// <summary>How the requester's identity was established (signed-in session, the agent's check on a call...).</summary>
    public string? VerificationMethod { get; private set; }

    /// <summary>How many times the requester was reminded to confirm who they are.</summary>
    public int VerificationReminders { get; private set; }

    /// <summary>Reminders sent while the request waits for the requester's answer; back to 0 when it resumes.</summary>
    public int RequesterReminders { get; private set; }

    public DeletionScope? DeletionScope { get; private set; }

    /// <summary>Comma-separated <see cref="DataCategory"/> names, for selected-content deletions.</summary>
    public string? Categories { get; private set; }

    /// <summary>The requester's own words: which items, what evidence, what they want.</summary>
    public string? Description { get; private set; }

    /// <summary>How many records the subject picked for a deletion of selected items (the portal deletes them); 0 when described in words.</summary>
    public int ChosenItems { get; private set; }

    public string? CorrectionField { get; private set; }

    public string? CorrectionCurrentValue { get; private set; }

    public string? CorrectionProposedValue { get; private set; }

    public DisputeSubject? DisputeSubject { get; private set; }

    public Guid? RelatedRequestId { get; private set; }

    public RefusalReason? RefusalReason { get; private set; }

    public string? RefusalExplanation { get; private set; }

    /// <summary>For CompletedWithExceptions: what was kept, why, and that processing of it stopped.</summary>
    public string? OutcomeNote { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>How a dispute ended: settled by negotiation, or unresolved (the courts are open).</summary>
    public DisputeOutcome? Outcome { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public string? EscalationReason { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Bumped by every change: the optimistic-concurrency token that makes one of two racing agents lose.</summary>
    public int Version { get; private set; }

    public string Reference => FormatReference(ReceivedAt, Number);

    /// <summary>A copy of the request as it stands, for telling open pages what a change did (<see cref="RequestChange"/>).</summary>
    public DataSubjectRequest Snapshot() => (DataSubjectRequest)MemberwiseClone();

    public bool IsClosed => RequestStatuses.IsClosed(Status);

    public bool IsOverdue(DateTimeOffset now) => !IsClosed && now > DueAt;

    public IReadOnlyList<DataCategory> CategoryList =>
        string.IsNullOrEmpty(Categories) ? [] : [.. Categories.Split(',').Select(Enum.Parse<DataCategory>)];

    public static string FormatReference(DateTimeOffset receivedAt, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"DSR-{receivedAt.UtcDateTime.Year}-{number:D6}");

    /// <summary>Reads "DSR-2026-000123", "000123" or "123" back to the number.</summary>
    public static bool TryParseReference(string? text, out long number)
    {
        number = 0;
        var digits = text?.Trim().Split('-', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return digits is not null && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    public static DataSubjectRequest Submit(NewRequest details, DateTimeOffset receivedAt, DeadlineProfile profile, DateTimeOffset dueAt)
    {
        details.Validate();
        return new DataSubjectRequest
        {
            Id = Guid.NewGuid(),
            Type = details.Type,
            Status = RequestStatus.Submitted,
            Channel = details.Channel,
            Relation = details.Relation,
            SubjectId = details.SubjectId,
            RequesterId = details.RequesterId,
            ReceivedAt = receivedAt,
            Profile = profile,
            DueAt = dueAt,
            OriginalDueAt = dueAt,
            DeletionScope = details.Type == RequestType.Deletion ? details.DeletionScope : null,
            Categories = details.Categories is { Count: > 0 } c ? string.Join(',', c.Distinct().Order()) : null,
            Description = Clean(details.Description),
            ChosenItems = details.Type == RequestType.Deletion && details.DeletionScope == Requests.DeletionScope.SelectedItems
                ? details.Items?.Distinct().Count() ?? 0
                : 0,
            CorrectionField = Clean(details.CorrectionField),
            CorrectionCurrentValue = Clean(details.CorrectionCurrentValue),
            CorrectionProposedValue = Clean(details.CorrectionProposedValue),
            DisputeSubject = details.Type == RequestType.Dispute ? details.DisputeSubject : null,
            RelatedRequestId = details.RelatedRequestId,
            UpdatedAt = receivedAt,
        };
    }

    /// <summary>The requester's identity is established: the request joins the queue.</summary>
    public RequestStatus Verify(string method, DateTimeOffset now)
    {
        Require(Status is RequestStatus.Submitted or RequestStatus.AwaitingVerification, "Only a new request can be verified.");
        Require(method.Length <= VerificationMethodMaxLength, "Keep the identity check to 200 characters.");
        VerificationMethod = method;
        return MoveTo(RequestStatus.Open, now);
    }

    public RequestStatus AwaitVerification(DateTimeOffset now)
    {
        Require(Status == RequestStatus.Submitted, "Only a new request can wait for verification.");
        return MoveTo(RequestStatus.AwaitingVerification, now);
    }

    /// <summary>The requester was reminded to confirm who they are; the count decides the next reminder.</summary>
    public void RemindToVerify(DateTimeOffset now)
    {
        Require(Status == RequestStatus.AwaitingVerification, "Only a request awaiting verification needs a reminder.");
        VerificationReminders++;
        Touch(now);
    }

    public RequestStatus Claim(string agentId, DateTimeOffset now)
    {
        Require(AssigneeId is null || AssigneeId == agentId, "Another agent has already claimed this request.");
        Require(Status == RequestStatus.Open, "Only an open request can be claimed; this one is {0}.", RequestLabels.Status(Status));
        AssigneeId = agentId;
        return MoveTo(RequestStatus.InProgress, now);
    }

    public void Reassign(string agentId, DateTimeOffset now)
    {
        Require(!IsClosed, "A closed request cannot be reassigned.");
        Require(AssigneeId != agentId, "The request is already assigned to that person.");
        AssigneeId = agentId;
        if (Status == RequestStatus.Open)
        {
            MoveTo(RequestStatus.InProgress, now);
            return;
        }

        Touch(now);
    }

    /// <summary>Pauses the clock while the requester is asked for information.</summary>
    public RequestStatus AskRequester(DateTimeOffset now)
    {
        Require(Status == RequestStatus.InProgress, "Only a request in progress can wait for the requester.");
        PausedAt = now;
        RequesterReminders = 0;
        return MoveTo(RequestStatus.AwaitingRequester, now);
    }

    /// <summary>The requester was reminded of the question; the count decides the next reminder.</summary>
    public void RemindRequester(DateTimeOffset now)
    {
        Require(Status == RequestStatus.AwaitingRequester, "Only a request waiting for the requester needs a reminder.");
        RequesterReminders++;
        Touch(now);
    }

    /// <summary>The requester never answered the question: the request closes, saying why.</summary>
    public RequestStatus CloseUnanswered(string explanation, DateTimeOffset now)
    {
        Require(Status == RequestStatus.AwaitingRequester, "Only a request waiting for the requester can close for want of an answer.");
        RefusalReason = Requests.RefusalReason.NoAnswer;
        RefusalExplanation = explanation.Trim();
        PausedAt = null;
        ClosedAt = now;
        return MoveTo(RequestStatus.Refused, now);
    }

    /// <summary>The requester answered (or the agent resumes): the clock runs again towards <paramref name="newDueAt"/>.</summary>
    /// <param name="clockRestarts">The period starts afresh now, rather than going on from where it stood.</param>
    public RequestStatus Resume(DateTimeOffset newDueAt, DateTimeOffset now, bool clockRestarts)
    {
        Require(Status == RequestStatus.AwaitingRequester, "Only a request waiting for the requester can resume.");
        PausedAt = null;
        RequesterReminders = 0;
        DueAt = newDueAt;
        ClockRestartedAt = clockRestarts ? now : ClockRestartedAt;
        return MoveTo(RequestStatus.InProgress, now);
    }

    public RequestStatus Approve(DateTimeOffset now)
    {
        Require(Status == RequestStatus.InProgress, "Only a request in progress can be approved.");
        return MoveTo(RequestStatus.Approved, now);
    }

    public RequestStatus StartFulfilment(DateTimeOffset now)
    {
        Require(Status == RequestStatus.Approved, "Only an approved request can be fulfilled.");
        return MoveTo(RequestStatus.Fulfilling, now);
    }

    /// <param name="outcome">What was done, for the requester (a correction's field-by-field result).</param>
    public RequestStatus Complete(DateTimeOffset now, string? outcome = null)
    {
        Require(Status == RequestStatus.Fulfilling, "Only a request being fulfilled can be completed.");
        Require((outcome?.Trim().Length ?? 0) <= TextMaxLength, "The text is too long: at most 4000 characters.");
        OutcomeNote = PortalText.IsBlank(outcome) ? OutcomeNote : outcome.Trim();
        ClosedAt = now;
        return MoveTo(RequestStatus.Completed, now);
    }

    /// <summary>Some data kept under a legal basis: stored only, processing stopped (PIPL Art. 47).</summary>
    public RequestStatus CompleteWithExceptions(string note, DateTimeOffset now)
    {
        Require(Status == RequestStatus.Fulfilling, "Only a request being fulfilled can be completed.");
        Require(!PortalText.IsBlank(note), "Say what was kept, why, and that its processing has stopped.");
        Require(PortalText.IsClean(note), PortalText.ControlCharacters);
        Require(note.Trim().Length <= TextMaxLength, "The text is too long: at most 4000 characters.");
        OutcomeNote = note.Trim();
        ClosedAt = now;
        return MoveTo(RequestStatus.CompletedWithExceptions, now);
    }

    public RequestStatus Refuse(RefusalReason reason, string explanation, bool bySupervisor, DateTimeOffset now)
    {
        Require(Status is RequestStatus.InProgress or RequestStatus.AwaitingVerification,
            "Only a request in progress or awaiting verification can be refused.");
        Require(Enum.IsDefined(reason) && reason != Requests.RefusalReason.NoAnswer, "Choose a legal reason for the refusal.");
        Require(!PortalText.IsBlank(explanation), "Explain the refusal to the requester: a reason code alone is not enough.");
        Require(PortalText.IsClean(explanation), PortalText.ControlCharacters);
        Require(explanation.Trim().Length <= TextMaxLength, "The text is too long: at most 4000 characters.");
        Require(reason != Requests.RefusalReason.ManifestlyUnfoundedOrExcessive || bySupervisor,
            "Only a supervisor can refuse a request as manifestly unfounded or excessive.");
        RefusalReason = reason;
        RefusalExplanation = explanation.Trim();
        ClosedAt = now;
        return MoveTo(RequestStatus.Refused, now);
    }

    /// <summary>Once, with a reason and notice: to the profile's extended deadline.</summary>
    public void Extend(string reason, DateTimeOffset extendedDueAt, DateTimeOffset now)
    {
        Require(!IsClosed && Status is not (RequestStatus.Approved or RequestStatus.Fulfilling), "Only a request still being handled can be extended.");
        Require(ExtendedAt is null, "This request has already been extended once.");
        Require(!PortalText.IsBlank(reason), "Give the reason for the extension: the requester is told.");
        Require(PortalText.IsClean(reason), PortalText.ControlCharacters);
        Require(reason.Trim().Length <= ReasonMaxLength, "Keep the reason for the extension to 1000 characters.");
        Require(extendedDueAt > DueAt, "The extended deadline must be later than the current one.");
        ExtendedAt = now;
        ExtensionReason = reason.Trim();
        DueAt = extendedDueAt;
        Touch(now);
    }

    /// <summary>A dispute goes to a supervisor: at the requester's or agent's wish, or when its deadline nears.</summary>
    public void Escalate(string reason, DateTimeOffset now)
    {
        Require(Type == RequestType.Dispute && !IsClosed, "Only an open dispute can be escalated.");
        Require(EscalatedAt is null, "This dispute has already been escalated to a supervisor.");
        Require(!PortalText.IsBlank(reason), "Say why the dispute needs a supervisor.");
        Require(PortalText.IsClean(reason), PortalText.ControlCharacters);
        Require(reason.Trim().Length <= ReasonMaxLength, "Keep the reason to 1000 characters.");
        EscalatedAt = now;
        EscalationReason = reason.Trim();
        Touch(now);
    }

    /// <summary>The requester accepted a proposal: it becomes the settlement (clause 7, friendly negotiation).</summary>
    public RequestStatus Settle(string settlement, DateTimeOffset now)
    {
        Require(Type == RequestType.Dispute && Status == RequestStatus.InProgress, "Only a dispute being negotiated can be settled.");
        Outcome = DisputeOutcome.Settled;
        OutcomeNote = settlement.Trim();
        ClosedAt = now;
        return MoveTo(RequestStatus.Completed, now);
    }

    /// <summary>Negotiation failed: the written notice names the court route and the regulator.</summary>
    public RequestStatus CloseUnresolved(string notice, DateTimeOffset now)
    {
        Require(Type == RequestType.Dispute && Status is RequestStatus.InProgress or RequestStatus.AwaitingRequester,
            "Only a dispute being negotiated can be closed as unresolved.");
        Require(notice.Trim().Length <= TextMaxLength, "The text is too long: at most 4000 characters.");
        Outcome = DisputeOutcome.Unresolved;
        OutcomeNote = notice.Trim();
        PausedAt = null;
        ClosedAt = now;
        return MoveTo(RequestStatus.Completed, now);
    }

    /// <summary>Fake or mass-templated requests: closed with a reason for the record, and no reply.</summary>
    public RequestStatus MarkAsSpam(string reason, DateTimeOffset now)
    {
        Require(Status is RequestStatus.Open or RequestStatus.InProgress or RequestStatus.AwaitingVerification,
            "Only a request not yet decided can be marked as spam.");
        Require(!PortalText.IsBlank(reason), "Say why this is spam: the reason stays on the record.");
        Require(PortalText.IsClean(reason), PortalText.ControlCharacters);
        Require(reason.Trim().Length <= ReasonMaxLength, "Keep the reason to 1000 characters.");
        RefusalExplanation = reason.Trim();
        ClosedAt = now;
        return MoveTo(RequestStatus.MarkedAsSpam, now);
    }

    public RequestStatus Withdraw(DateTimeOffset now)
    {
        Require(!IsClosed, "This request is already closed.");
        ClosedAt = now;
        return MoveTo(RequestStatus.Withdrawn, now);
    }

    /// <summary>A message on the thread changes no state but does change the request others are looking at.</summary>
    public void RecordMessage(DateTimeOffset now)
    {
        Require(!IsClosed, "This request is closed; messages can no longer be added.");
        Touch(now);
    }

    private RequestStatus MoveTo(RequestStatus next, DateTimeOffset now)
    {
        var previous = Status;
        Status = next;
        Touch(now);
        return previous;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    private static string? Clean(string? text) => PortalText.IsBlank(text) ? null : text.Trim();
}

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
        // A person's list, newest first, page after page (keyset on the number): about them, or made by them.
        builder.HasIndex(r => new { r.SubjectId, r.Number });
        builder.HasIndex(r => new { r.RequesterId, r.Number });
        builder.HasIndex(r => new { r.Type, r.DueAt });
        builder.HasIndex(r => new { r.Channel, r.DueAt });
    }
}
