using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Api;

/// <summary>Between the lifecycle's types and the API's JSON: codes as their English names.</summary>
internal static class ApiMapping
{
    /// <param name="now">The portal's clock: an overdue request's next step apologises instead of promising "soon".</param>
    public static RequestResponse Request(DataSubjectRequest r, DateTimeOffset now) => new(
        r.Id,
        r.Reference,
        r.Type.ToString(),
        r.Status.ToString(),
        RequestLabels.Status(r.Status),
        r.Channel.ToString(),
        r.ReceivedAt,
        r.DueAt,
        r.ExtendedAt,
        r.ExtensionReason,
        r.ClosedAt,
        r.RefusalReason?.ToString(),
        r.RefusalExplanation,
        r.OutcomeNote,
        r.DeletionScope?.ToString(),
        [.. r.CategoryList.Select(c => c.ToString())],
        r.Description,
        r.CorrectionField,
        r.CorrectionCurrentValue,
        r.CorrectionProposedValue,
        r.DisputeSubject?.ToString(),
        r.RelatedRequestId,
        RequestLabels.NextStep(r.Status, r.IsOverdue(now)),
        r.Relation.ToString(),
        r.Outcome?.ToString(),
        r.EscalatedAt,
        r.VerificationMethod);

    public static ProposalResponse Proposal(Disputes.DisputeProposal p) =>
        new(p.Id, p.Text, p.Status.ToString(), p.Deletion?.ToString(), [.. p.CategoryList.Select(c => c.ToString())], p.ProposedAt, p.AnsweredAt, p.Answer, p.LinkedRequestId);

    public static MessageResponse Message(RequestMessage m) =>
        new(m.Id, m.AuthorRole, m.Kind.ToString(), m.Body, m.SentAt);

    /// <summary>
    /// A code by its name, in any case ("export", "Export"). Numbers ("1") and combinations ("Export,Deletion"),
    /// which <c>Enum.TryParse</c> alone would also accept, are refused.
    /// A refusal is added to <paramref name="errors"/> under <paramref name="field"/>.
    /// </summary>
    public static TEnum? ParseEnum<TEnum>(
        string? text, string field, string what, Dictionary<string, string[]> errors, bool required = false)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                AddError(errors, field, $"Give the {what}: {Choices<TEnum>()}.");
            }

            return null;
        }

        var name = text.Trim();
        if (name.All(char.IsAsciiLetter) && Enum.TryParse<TEnum>(name, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        AddError(errors, field, $"Unknown {what} '{name}'. Use {Choices<TEnum>()}.");
        return null;
    }

    /// <summary>"Export, Deletion, Correction or Dispute".</summary>
    private static string Choices<TEnum>()
        where TEnum : struct, Enum
    {
        var names = Enum.GetNames<TEnum>();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string message) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? existing.Append(message).ToArray() : new[] { message };
}
