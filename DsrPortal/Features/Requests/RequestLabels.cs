namespace DsrPortal.Features.Requests;

/// <summary>
/// The English words for the lifecycle's codes: shown through the localizer (they are its keys), used
/// in emails through "...Key" values. Every literal in this file is a key of the Chinese string table.
/// </summary>
public static class RequestLabels
{
    public static string Type(RequestType type) => type switch
    {
        RequestType.Export => "Copy of my data",
        RequestType.Deletion => "Deletion",
        RequestType.Correction => "Correction",
        RequestType.Dispute => "Dispute",
        _ => type.ToString(),
    };

    public static string Status(RequestStatus status) => status switch
    {
        RequestStatus.Submitted => "Submitted",
        RequestStatus.AwaitingVerification => "Awaiting identity check",
        RequestStatus.Open => "Open",
        RequestStatus.InProgress => "In progress",
        RequestStatus.AwaitingRequester => "Waiting for the requester",
        RequestStatus.Approved => "Approved",
        RequestStatus.Fulfilling => "Being fulfilled",
        RequestStatus.Completed => "Completed",
        RequestStatus.CompletedWithExceptions => "Completed with exceptions",
        RequestStatus.Refused => "Refused",
        RequestStatus.Withdrawn => "Withdrawn",
        RequestStatus.MarkedAsSpam => "Closed as spam",
        _ => status.ToString(),
    };

    /// <summary>What happens next, as the requester reads it on their request list.</summary>
    /// <param name="overdue">Past its due date and still open: the requester is told so, with an apology, never "soon".</param>
    public static string NextStep(RequestStatus status, bool overdue = false) => (status, overdue) switch
    {
        (RequestStatus.Submitted or RequestStatus.Open, true) => "We are late answering your request, and we are sorry: it is first in line for the next agent.",
        (RequestStatus.InProgress, true) => "An agent is working on your request. We are past the date we promised, and we are sorry for the delay.",
        _ => NextStepOnTime(status),
    };

    private static string NextStepOnTime(RequestStatus status) => status switch
    {
        RequestStatus.Submitted or RequestStatus.Open => "We have your request; an agent will pick it up soon.",
        RequestStatus.AwaitingVerification => "We need to confirm it is you before we can start: follow the step on this page (a code sent to your mobile number).",
        RequestStatus.InProgress => "An agent is working on your request.",
        RequestStatus.AwaitingRequester => "We asked you a question: answer it in the request's messages so we can continue.",
        RequestStatus.Approved or RequestStatus.Fulfilling => "Approved: we are carrying it out.",
        RequestStatus.Completed => "Done.",
        RequestStatus.CompletedWithExceptions => "Done, except for data the law requires us to keep; see the outcome.",
        RequestStatus.Refused => "Refused; the reason and your options are in the request.",
        RequestStatus.Withdrawn => "You withdrew this request.",
        RequestStatus.MarkedAsSpam => "Closed.",
        _ => "",
    };

    public static string Channel(RequestChannel channel) => channel switch
    {
        RequestChannel.Web => "Web",
        RequestChannel.Api => "Mobile app",
        RequestChannel.Phone => "Phone",
        RequestChannel.Email => "Email",
        _ => channel.ToString(),
    };

    public static string Scope(DeletionScope scope) => scope switch
    {
        DeletionScope.WholeAccount => "My whole account (log off)",
        DeletionScope.SelectedCategories => "Selected categories of data",
        DeletionScope.SelectedItems => "Selected items",
        _ => scope.ToString(),
    };

    public static string Category(DataCategory category) => category switch
    {
        DataCategory.Profile => "Profile (phone number, nickname, gender, constellation)",
        DataCategory.Devices => "Device information",
        DataCategory.Photos => "Photos",
        DataCategory.Comments => "Comments",
        DataCategory.Likes => "Likes",
        DataCategory.SearchRecords => "Search records",
        DataCategory.ReadingRecords => "Reading records and visit times",
        DataCategory.InteractionRecords => "Interaction records",
        DataCategory.Dynamics => "Dynamics (posts)",
        _ => category.ToString(),
    };

    public static string Dispute(DisputeSubject subject) => subject switch
    {
        DisputeSubject.EarlierRequest => "How an earlier request was handled",
        DisputeSubject.Advertising => "Use of my data for advertising",
        DisputeSubject.CrowdPortraits => "Crowd portraits built from my data",
        DisputeSubject.Sharing => "Sharing of my data",
        DisputeSubject.OtherPractice => "Another data practice",
        _ => subject.ToString(),
    };

    public static string Reason(RefusalReason reason) => reason switch
    {
        RefusalReason.NationalSecurity => "Directly related to national security or national defence",
        RefusalReason.PublicSafetyOrHealth => "Directly related to public safety, public health or major public interests",
        RefusalReason.CriminalInvestigation => "Directly related to criminal investigation, prosecution, trial or enforcement of judgments",
        RefusalReason.VitalInterests => "Protecting the life, property or other major rights of you or others",
        RefusalReason.DisclosedBySubject => "Information you disclosed to the public yourself",
        RefusalReason.LawfullyPublicSources => "Collected from lawfully public sources such as news reports",
        RefusalReason.ContractPerformance => "Necessary to sign or perform a contract at your request",
        RefusalReason.ServiceSecurity => "Necessary for the safe and stable operation of the service",
        RefusalReason.NewsReporting => "Necessary for lawful news reporting",
        RefusalReason.PublicInterestResearch => "Statistical or academic research in the public interest, de-identified",
        RefusalReason.OtherLegalProvision => "Another circumstance provided for by laws and regulations",
        RefusalReason.IdentityNotVerified => "Your identity could not be verified",
        RefusalReason.ManifestlyUnfoundedOrExcessive => "Manifestly unfounded or excessive",
        RefusalReason.NoAnswer => "You did not answer our question in time",
        _ => reason.ToString(),
    };

    public static string Outcome(DisputeOutcome outcome) => outcome switch
    {
        DisputeOutcome.Settled => "Settled",
        _ => "Unresolved",
    };

    public static string Proposal(Disputes.ProposalStatus status) => status switch
    {
        Disputes.ProposalStatus.Open => "Waiting for the requester's answer",
        Disputes.ProposalStatus.Accepted => "Accepted",
        Disputes.ProposalStatus.Rejected => "Rejected",
        _ => "Replaced by a later proposal",
    };

    /// <summary>Who made the request, as staff see it.</summary>
    public static string Relation(RequesterRelation relation) => relation switch
    {
        RequesterRelation.Guardian => "A guardian, for a minor",
        RequesterRelation.AgentOnBehalf => "An agent, for the subject",
        RequesterRelation.AuthorizedAgent => "An authorized agent, for the subject",
        RequesterRelation.Relative => "A close relative of the deceased subject",
        _ => "The subject",
    };

    /// <summary>Why text with NUL or another control character is refused (<see cref="PortalText"/>).</summary>
    public static string ControlCharacters => "The text contains characters that cannot be shown (control characters). Remove them and try again.";
}
