using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

    public long Id { get; set; }

    public Guid RequestId { get; set; }

    public required string AuthorId { get; set; }

    public required string Text { get; set; }

    /// <summary>Set when the settlement includes deleting data: the scope of the linked deletion request.</summary>
    public DeletionScope? Deletion { get; set; }

    /// <summary>Comma-separated <see cref="DataCategory"/> names, for a deletion of selected categories.</summary>
    public string? Categories { get; set; }

    public ProposalStatus Status { get; set; } = ProposalStatus.Open;

    public DateTimeOffset ProposedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The requester's words with a rejection.</summary>
    public string? Answer { get; set; }

    /// <summary>The deletion request an accepted proposal started.</summary>
    public Guid? LinkedRequestId { get; set; }

    public IReadOnlyList<DataCategory> CategoryList =>
        string.IsNullOrEmpty(Categories) ? [] : [.. Categories.Split(',').Select(Enum.Parse<DataCategory>)];
}

internal sealed class DisputeProposalConfiguration : IEntityTypeConfiguration<DisputeProposal>
{
    public void Configure(EntityTypeBuilder<DisputeProposal> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(p => p.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.RequestId);
        builder.Ignore(p => p.CategoryList);
        builder.Property(p => p.AuthorId).HasMaxLength(450);
        builder.Property(p => p.Text).HasMaxLength(DisputeProposal.TextMaxLength);
        builder.Property(p => p.Answer).HasMaxLength(1000);
        builder.Property(p => p.Categories).HasMaxLength(400);
        builder.Property(p => p.Deletion).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
    }
}
