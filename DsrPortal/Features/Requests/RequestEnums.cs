namespace DsrPortal.Features.Requests;

public enum RequestType
{
    Export = 1,
    Deletion = 2,
    Correction = 3,
    Dispute = 4,
}

/// <summary>One lifecycle for every type; <see cref="DataSubjectRequest"/> decides which moves are legal.</summary>
public enum RequestStatus
{
    Submitted = 1,
    AwaitingVerification = 2,
    Open = 3,
    InProgress = 4,
    AwaitingRequester = 5,
    Approved = 6,
    Fulfilling = 7,
    Completed = 8,
    CompletedWithExceptions = 9,
    Refused = 10,
    Withdrawn = 11,
    /// <summary>Closed by staff as spam, with a reason and without a reply.</summary>
    MarkedAsSpam = 12,
}

public static class RequestStatuses
{
    /// <summary>The end states: nothing more happens to a request in one of these.</summary>
    public static readonly RequestStatus[] Closed =
    [
        RequestStatus.Completed, RequestStatus.CompletedWithExceptions, RequestStatus.Refused,
        RequestStatus.Withdrawn, RequestStatus.MarkedAsSpam,
    ];

    public static bool IsClosed(RequestStatus status) => Closed.Contains(status);
}

public enum RequestChannel
{
    Web = 1,
    Api = 2,
    Phone = 3,
    Email = 4,
}

/// <summary>Who made the request for the subject.</summary>
public enum RequesterRelation
{
    Self = 1,
    Guardian = 2,
    AgentOnBehalf = 3,
    /// <summary>Someone the subject authorized (a family member, a lawyer, an agent service), confirmed by the subject directly.</summary>
    AuthorizedAgent = 4,

    /// <summary>A close relative of a deceased subject, whose death and relationship an agent verified from documents (PIPL Art. 49).</summary>
    Relative = 5,
}

public enum DeletionScope
{
    WholeAccount = 1,
    SelectedCategories = 2,
    SelectedItems = 3,
}

/// <summary>The data categories of the demo policy, clauses 1.1 to 1.4.</summary>
public enum DataCategory
{
    Profile = 1,
    Devices = 2,
    Photos = 3,
    Comments = 4,
    Likes = 5,
    SearchRecords = 6,
    ReadingRecords = 7,
    InteractionRecords = 8,
    /// <summary>Posts in the dynamic feature (clause 1.3); their photos, comments and likes are categories of their own.</summary>
    Dynamics = 9,
}

public enum DisputeSubject
{
    EarlierRequest = 1,
    Advertising = 2,
    CrowdPortraits = 3,
    Sharing = 4,
    OtherPractice = 5,
}

/// <summary>
/// The legal reasons an agent picks from when refusing: the demo policy's exceptions (clauses 1.1-1.4,
/// exceptions 1-10, which include those of clause 4), plus identity and abuse.
/// </summary>
public enum RefusalReason
{
    NationalSecurity = 1,
    PublicSafetyOrHealth = 2,
    CriminalInvestigation = 3,
    VitalInterests = 4,
    DisclosedBySubject = 5,
    LawfullyPublicSources = 6,
    ContractPerformance = 7,
    ServiceSecurity = 8,
    NewsReporting = 9,
    PublicInterestResearch = 10,
    OtherLegalProvision = 11,
    IdentityNotVerified = 12,
    /// <summary>Supervisors only (GDPR Art. 12(5)); the explanation must justify it.</summary>
    ManifestlyUnfoundedOrExcessive = 13,

    /// <summary>The portal closed it: the requester did not answer the agent's question in time. Never chosen by an agent.</summary>
    NoAnswer = 14,
}

public enum DisputeOutcome
{
    Settled = 1,
    Unresolved = 2,
}
