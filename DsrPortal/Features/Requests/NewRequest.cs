using DsrPortal.Features.Corrections;

namespace DsrPortal.Features.Requests;

/// <summary>What a requester asks for, before it becomes a <see cref="DataSubjectRequest"/>.</summary>
public sealed record NewRequest
{
    public required RequestType Type { get; init; }

    public required string SubjectId { get; init; }

    public required string RequesterId { get; init; }

    public RequesterRelation Relation { get; init; } = RequesterRelation.Self;

    public RequestChannel Channel { get; init; } = RequestChannel.Web;

    public DeletionScope? DeletionScope { get; init; }

    public IReadOnlyList<DataCategory>? Categories { get; init; }

    public string? Description { get; init; }

    /// <summary>For a deletion of selected items: the records the subject picked from their own lists.</summary>
    public IReadOnlyList<ItemChoice>? Items { get; init; }

    public string? CorrectionField { get; init; }

    public string? CorrectionCurrentValue { get; init; }

    public string? CorrectionProposedValue { get; init; }

    /// <summary>Fields from the correctable list (key such as "Profile.nickname") and the value each should have.</summary>
    public IReadOnlyDictionary<string, string>? Corrections { get; init; }

    public DisputeSubject? DisputeSubject { get; init; }

    public Guid? RelatedRequestId { get; init; }

    /// <summary>For a request an agent logs: what they checked of the caller (recorded in the audit trail either way).</summary>
    public Verification.AgentCheck AgentChecks { get; init; }

    /// <summary>The rules every channel shares (web form, API, an agent logging a call).</summary>
    public void Validate()
    {
        Check(Enum.IsDefined(Type), "Choose what kind of request this is.");
        Check((Description?.Length ?? 0) <= DataSubjectRequest.TextMaxLength, "The description is too long: at most 4000 characters.");
        switch (Type)
        {
            case RequestType.Deletion:
                Check(DeletionScope is not null && Enum.IsDefined(DeletionScope.Value), "Say whether to delete the whole account or selected content.");
                Check(DeletionScope != Requests.DeletionScope.SelectedCategories || Categories is { Count: > 0 },
                    "Choose at least one category of data to delete.");
                Check(DeletionScope != Requests.DeletionScope.SelectedItems || Items is { Count: > 0 } || !PortalText.IsBlank(Description),
                    "Choose the items to delete from your lists, or describe them (for example the date and text of a comment).");
                Check((Items?.Count ?? 0) <= Deletion.ChosenItem.MaxPerRequest, "Choose at most 500 items in one request.");
                Check(Items is null || Items.All(i => i.Category.Length is > 0 and <= 64 && i.Id.Length is > 0 and <= Deletion.ChosenItem.IdMaxLength),
                    "Choose the items to delete from your lists.");
                break;
            case RequestType.Correction:
                var listed = Corrections?.Where(c => !PortalText.IsBlank(c.Value)).ToList() ?? [];
                Check(listed.Count > 0 || !PortalText.IsBlank(CorrectionField), "Say which information is wrong.");
                Check(listed.Count > 0 || !PortalText.IsBlank(CorrectionProposedValue), "Give the correct value.");
                Check(listed.All(c => c.Value.Trim().Length <= CorrectionItem.ValueMaxLength && c.Key.Length <= CorrectionItem.FieldMaxLength), "The correction is too long.");
                Check((CorrectionProposedValue?.Length ?? 0) <= CorrectionItem.ValueMaxLength && (CorrectionCurrentValue?.Length ?? 0) <= CorrectionItem.ValueMaxLength
                    && (CorrectionField?.Length ?? 0) <= CorrectionItem.FieldMaxLength,
                    "The correction is too long.");
                break;
            case RequestType.Dispute:
                Check(DisputeSubject is not null && Enum.IsDefined(DisputeSubject.Value), "Say what the dispute is about.");
                Check(DisputeSubject != Requests.DisputeSubject.EarlierRequest || RelatedRequestId is not null,
                    "Choose the earlier request the dispute is about.");
                Check(!PortalText.IsBlank(Description), "Describe the dispute and what you would like us to do.");
                break;
        }

        Check(Categories is null || Categories.All(Enum.IsDefined), "Choose data categories from the list.");
        Check(PortalText.IsClean([Description, CorrectionField, CorrectionCurrentValue, CorrectionProposedValue, .. Corrections?.Values ?? [], .. Corrections?.Keys ?? []]),
            PortalText.ControlCharacters);
    }

    private static void Check(bool condition, string key)
    {
        if (!condition)
        {
            throw new RequestRuleException(key);
        }
    }
}

/// <summary>One record picked to delete: its category code and its id in the source that holds it.</summary>
public sealed record ItemChoice(string Category, string Id);
