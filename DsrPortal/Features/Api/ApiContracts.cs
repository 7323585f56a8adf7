namespace DsrPortal.Features.Api;

// What the mobile app sends and receives. Codes travel as their English names ("Export", "Open"),
// compared without regard to case on the way in; the JSON is camelCase.

/// <summary>POST /api/v1/auth/login.</summary>
public sealed record LoginBody(string? Email, string? Password);

/// <summary>POST /api/v1/requests.</summary>
/// <param name="Type">Export, Deletion, Correction or Dispute.</param>
/// <param name="SubjectId">For a guardian acting for a minor: the minor's id from GET /api/v1/guardians/wards. Leave out for your own data.</param>
public sealed record NewRequestBody(string? Type, RequestScopeBody? Scope, RequestDetailsBody? Details, string? SubjectId = null);

/// <summary>A minor the caller may act for, as their verified guardian.</summary>
public sealed record WardResponse(string MinorId, string Nickname, bool WrittenConsentInForce);

/// <summary>What a deletion covers.</summary>
/// <param name="Deletion">WholeAccount, SelectedCategories or SelectedItems.</param>
/// <param name="Categories">For SelectedCategories: Profile, Devices, Photos, Comments, Likes, SearchRecords, ReadingRecords, InteractionRecords.</param>
public sealed record RequestScopeBody(string? Deletion, IReadOnlyList<string?>? Categories);

/// <summary>The requester's own words, and what a correction or dispute is about.</summary>
/// <param name="DisputeSubject">EarlierRequest, Advertising, CrowdPortraits, Sharing or OtherPractice.</param>
/// <param name="RelatedRequestId">For a dispute about an earlier request: that request's id.</param>
/// <param name="Corrections">For a correction: field keys from GET /api/v1/me/correctable-fields and the value each should have.</param>
public sealed record RequestDetailsBody(
    string? Description,
    string? CorrectionField,
    string? CorrectionCurrentValue,
    string? CorrectionProposedValue,
    string? DisputeSubject,
    Guid? RelatedRequestId,
    IReadOnlyDictionary<string, string>? Corrections = null);

/// <summary>A field a correction request can change, with the caller's current value.</summary>
public sealed record CorrectableFieldResponse(string Key, string Label, string? CurrentValue);

/// <summary>POST /api/v1/requests/{id}/messages.</summary>
public sealed record NewMessageBody(string? Body);

/// <summary>The answer to a new request: where it stands and when it is due.</summary>
public sealed record CreatedRequestResponse(Guid Id, string Reference, string Status, DateTimeOffset ReceivedAt, DateTimeOffset DueAt);

/// <summary>One of the caller's requests.</summary>
public sealed record RequestResponse(
    Guid Id,
    string Reference,
    string Type,
    string Status,
    string StatusLabel,
    string Channel,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? ExtendedAt,
    string? ExtensionReason,
    DateTimeOffset? ClosedAt,
    string? RefusalReason,
    string? RefusalExplanation,
    string? OutcomeNote,
    string? DeletionScope,
    IReadOnlyList<string> Categories,
    string? Description,
    string? CorrectionField,
    string? CorrectionCurrentValue,
    string? CorrectionProposedValue,
    string? DisputeSubject,
    Guid? RelatedRequestId,
    string NextStep,
    string Relation = "Self",
    string? DisputeOutcome = null,
    DateTimeOffset? EscalatedAt = null,
    string? VerificationMethod = null);

/// <summary>POST /api/v1/requests/{id}/verification: the code that confirms it is the requester.</summary>
/// <param name="Method">"sms" (default: the code sent by .../verification/code) or "authenticator".</param>
public sealed record ConfirmRequestBody(string? Code, string? Method = null);

/// <summary>A proposal in a dispute's negotiation, with the requester's answer once given.</summary>
/// <param name="Status">Open, Accepted, Rejected or Withdrawn.</param>
/// <param name="LinkedRequestId">The deletion request an accepted proposal started.</param>
public sealed record ProposalResponse(
    long Id, string Text, string Status, string? Deletion, IReadOnlyList<string> Categories,
    DateTimeOffset ProposedAt, DateTimeOffset? AnsweredAt, string? Answer, Guid? LinkedRequestId);

/// <summary>POST /api/v1/requests/{id}/proposal/answer.</summary>
public sealed record ProposalAnswerBody(bool? Accept, string? Comment);

/// <summary>POST /api/v1/requests/{id}/escalate.</summary>
public sealed record EscalationBody(string? Reason);

/// <summary>One message of a request's thread. Staff appear by role (Agent, Supervisor), never by name.</summary>
public sealed record MessageResponse(long Id, string AuthorRole, string Kind, string Body, DateTimeOffset SentAt);

/// <summary>GET /api/v1/me/data: what is held about the caller, per category, in the request's language.</summary>
/// <param name="PhoneProven">False until the account's mobile number is proven with a code: until then the counts
/// cover the portal's own records only, and <paramref name="Notice"/> says so.</param>
public sealed record MyDataResponse(string Language, IReadOnlyList<DataCategoryResponse> Categories, bool PhoneProven = true, string? Notice = null);

/// <summary>POST /api/v1/auth/sms/code and POST /api/v1/me/phone/code: where to send a one-time code.</summary>
public sealed record PhoneCodeBody(string? Phone);

/// <summary>POST /api/v1/auth/sms/login and POST /api/v1/me/phone: the number and the code it received.</summary>
public sealed record PhoneProofBody(string? Phone, string? Code);

/// <summary>A code is on its way (when the number may receive one): it lives <paramref name="ExpiresIn"/> seconds,
/// and another can be asked for after <paramref name="RetryAfter"/> seconds.</summary>
public sealed record CodeSentResponse(int ExpiresIn, int RetryAfter);

/// <summary>The caller's mobile number, masked, and whether it is proven.</summary>
public sealed record PhoneResponse(string? Phone, bool Proven);

/// <param name="Count">Records held now; null when no connected source holds this category.</param>
public sealed record DataCategoryResponse(
    string Code, string Name, string Clause, long? Count, string Purposes, string Recipients, string Retention, string Source);

/// <summary>One field of a correction request, with the agent's decision once made.</summary>
/// <param name="Decision">Pending, Accepted or Refused.</param>
public sealed record CorrectionItemResponse(string Field, string Label, string? ValueWhenAsked, string ProposedValue, string Decision, string? Reason, DateTimeOffset? DecidedAt);
