using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Requests;

public enum MessageKind
{
    Message = 1,
    /// <summary>An agent's question that paused the clock.</summary>
    InformationRequest = 2,
    /// <summary>An agent's proposal in a dispute's negotiation.</summary>
    Proposal = 3,
}

/// <summary>One message of a request's thread between the requester and the agents.</summary>
public sealed class RequestMessage
{
    public const int BodyMaxLength = 4000;

    public long Id { get; set; }

    public Guid RequestId { get; set; }

    public required string AuthorId { get; set; }

    /// <summary>Subject, Agent or Supervisor: the thread shows roles to the requester, not staff names.</summary>
    public required string AuthorRole { get; set; }

    public MessageKind Kind { get; set; } = MessageKind.Message;

    public required string Body { get; set; }

    public DateTimeOffset SentAt { get; set; }
}

internal sealed class RequestMessageConfiguration : IEntityTypeConfiguration<RequestMessage>
{
    public void Configure(EntityTypeBuilder<RequestMessage> builder)
    {
        builder.Property(m => m.AuthorId).HasMaxLength(Data.PortalLimits.UserIdMaxLength);
        builder.Property(m => m.AuthorRole).HasMaxLength(32);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Body).HasMaxLength(RequestMessage.BodyMaxLength);
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(m => m.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.RequestId, m.SentAt });
    }
}
