using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Disputes;

public enum ProposalStatus
{
    Open = 1,
    Accepted = 2,
    Rejected = 3,
    /// <summary>Replaced by a later proposal before the requester answered.</summary>
    Withdrawn = 4,
}

/// <summary>
/// An agent's offer in a dispute's negotiation: what the company will do (delete X, stop Y, explain Z).
/// Accepted, it is the settlement; one that implies a deletion spawns a linked deletion request.
/// </summary>
public sealed class DisputeProposal
{
    public const int TextMaxLength = 2000;
    public const int AnswerMaxLength = 1000;
    public const int CategoriesMaxLength = 400;

    private DisputeProposal()
    {
    }

    public long Id { get; private set; }

    public Guid RequestId { get; private set; }

    public string AuthorId { get; private set; } = "";

    public string Text { get; private set; } = "";

    /// <summary>Set when the settlement includes deleting data: the scope of the linked deletion request.</summary>
    public DeletionScope? Deletion { get; private set; }

    /// <summary>Comma-separated <see cref="DataCategory"/> names, for a deletion of selected categories.</summary>
    public string? Categories { get; private set; }

    public ProposalStatus Status { get; private set; } = ProposalStatus.Open;

    public DateTimeOffset ProposedAt { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The requester's words with a rejection.</summary>
    public string? Answer { get; private set; }

    /// <summary>The deletion request an accepted proposal started.</summary>
    public Guid? LinkedRequestId { get; private set; }

    public IReadOnlyList<DataCategory> CategoryList =>
        string.IsNullOrEmpty(Categories) ? [] : [.. Categories.Split(',').Select(Enum.Parse<DataCategory>)];

    /// <summary>An agent's offer; it waits for the requester's answer.</summary>
    public static DisputeProposal Make(
        Guid requestId, string authorId, string? text, DeletionScope? deletion, IReadOnlyList<DataCategory> categories, DateTimeOffset now)
    {
        Require(!PortalText.IsBlank(text), "Write what you propose to do.");
        Require(text!.Trim().Length <= TextMaxLength, "Keep the proposal to 2000 characters.");
        Require(deletion is null or DeletionScope.WholeAccount or DeletionScope.SelectedCategories, "A settlement can delete the whole account or chosen categories.");
        Require(deletion != DeletionScope.SelectedCategories || categories.Count > 0, "Choose at least one category of data to delete.");
        return new DisputeProposal
        {
            RequestId = requestId, AuthorId = authorId, Text = text.Trim(), Deletion = deletion, ProposedAt = now,
            Categories = deletion == DeletionScope.SelectedCategories ? string.Join(',', categories.Distinct().Order()) : null,
        };
    }

    /// <summary>The requester's answer, once: accepted, it is the settlement.</summary>
    public void Answered(bool accept, string? comment, DateTimeOffset now)
    {
        Require(Status == ProposalStatus.Open, "There is no proposal waiting for your answer.");
        Require((comment?.Trim().Length ?? 0) <= AnswerMaxLength, "Keep the comment to 1000 characters.");
        Status = accept ? ProposalStatus.Accepted : ProposalStatus.Rejected;
        AnsweredAt = now;
        Answer = PortalText.IsBlank(comment) ? null : comment!.Trim();
    }

    /// <summary>The deletion request the accepted settlement started.</summary>
    public void Settles(Guid deletionRequestId)
    {
        Require(Status == ProposalStatus.Accepted && Deletion is not null, "Only an accepted proposal that deletes data starts a deletion.");
        LinkedRequestId = deletionRequestId;
    }
}

internal sealed class DisputeProposalConfiguration : IEntityTypeConfiguration<DisputeProposal>
{
    public void Configure(EntityTypeBuilder<DisputeProposal> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(p => p.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.RequestId);
        builder.Ignore(p => p.CategoryList);
        builder.Property(p => p.AuthorId).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(p => p.Text).HasMaxLength(DisputeProposal.TextMaxLength);
        builder.Property(p => p.Answer).HasMaxLength(DisputeProposal.AnswerMaxLength);
        builder.Property(p => p.Categories).HasMaxLength(DisputeProposal.CategoriesMaxLength);
        builder.Property(p => p.Deletion).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
    }
}
