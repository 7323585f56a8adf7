using System.ComponentModel.DataAnnotations;
using DsrPortal.Features.Requests;

namespace DsrPortal.Components.Shared;

/// <summary>
/// The request form's fields, shared by the subject's New request page and the agent's "log a call"
/// page. The rules are <see cref="NewRequest.Validate"/>'s, so the form, the API and the agent's page
/// cannot drift apart.
/// </summary>
public sealed class RequestFormModel : IValidatableObject
{
    [Required(ErrorMessage = "Choose what kind of request this is.")]
    public RequestType? Type { get; set; }

    public DeletionScope? DeletionScope { get; set; }

    public HashSet<DataCategory> Categories { get; set; } = [];

    /// <summary>The records picked from the subject's own lists, for a deletion of selected items.</summary>
    public HashSet<ItemChoice> Items { get; set; } = [];

    [StringLength(DataSubjectRequest.TextMaxLength, ErrorMessage = "The description is too long: at most 4000 characters.")]
    public string? Description { get; set; }

    [StringLength(Features.Corrections.CorrectionItem.FieldMaxLength, ErrorMessage = "The correction is too long.")]
    public string? CorrectionField { get; set; }

    [StringLength(Features.Corrections.CorrectionItem.ValueMaxLength, ErrorMessage = "The correction is too long.")]
    public string? CorrectionCurrentValue { get; set; }

    [StringLength(Features.Corrections.CorrectionItem.ValueMaxLength, ErrorMessage = "The correction is too long.")]
    public string? CorrectionProposedValue { get; set; }

    /// <summary>Listed fields to correct (key such as "Profile.nickname") and the value each should have; blank ones are ignored.</summary>
    public Dictionary<string, string?> Corrections { get; set; } = [];

    public DisputeSubject? DisputeSubject { get; set; }

    public Guid? RelatedRequestId { get; set; }

    public NewRequest ToNewRequest(string subjectId, string requesterId, RequesterRelation relation, RequestChannel channel) => new()
    {
        Type = Type ?? default,
        SubjectId = subjectId,
        RequesterId = requesterId,
        Relation = relation,
        Channel = channel,
        DeletionScope = DeletionScope,
        Categories = [.. Categories],
        Description = Description,
        Items = Type == RequestType.Deletion && DeletionScope == Features.Requests.DeletionScope.SelectedItems && Items.Count > 0 ? [.. Items] : null,
        CorrectionField = CorrectionField,
        CorrectionCurrentValue = CorrectionCurrentValue,
        CorrectionProposedValue = CorrectionProposedValue,
        Corrections = Type == RequestType.Correction
            ? Corrections.Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToDictionary(c => c.Key, c => c.Value!.Trim())
            : null,
        DisputeSubject = DisputeSubject,
        RelatedRequestId = DisputeSubject == Features.Requests.DisputeSubject.EarlierRequest ? RelatedRequestId : null,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Type is null)
        {
            yield break;
        }

        string? problem = null;
        try
        {
            ToNewRequest("subject", "requester", RequesterRelation.Self, RequestChannel.Web).Validate();
        }
        catch (RequestRuleException e)
        {
            problem = e.Key;
        }

        if (problem is not null)
        {
            yield return new ValidationResult(problem);
        }
    }
}
