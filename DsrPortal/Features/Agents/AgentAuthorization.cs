using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Agents;

/// <summary>Who an authorized agent is to the person they act for (CCPA 7063).</summary>
public enum AgentKind
{
    FamilyMember = 1,
    Lawyer = 2,
    AgentService = 3,
    Other = 4,
}

public enum AgentConsent
{
    /// <summary>The person has been asked, through their own address or number, and has not answered.</summary>
    Pending = 1,
    Confirmed = 2,
    Denied = 3,
}

/// <summary>
/// A request an authorized agent made for someone: who the agent says they are, the signed permission
/// they uploaded (kept only until staff decide the request), and the person's own answer, given through
/// a link sent to their address or number. Nothing is disclosed before that answer; the export goes to
/// the person unless they chose to let the agent receive it.
/// </summary>
public sealed class AgentAuthorization
{
    public const int NameMaxLength = 120;

    public Guid RequestId { get; set; }

    public required string AgentId { get; set; }

    public required string SubjectId { get; set; }

    public AgentKind Kind { get; set; }

    /// <summary>The agent's name or organisation as they gave it, shown to the person and to staff.</summary>
    public required string AgentName { get; set; }

    /// <summary>The signed permission, encrypted at rest, until it is purged once staff decide the request.</summary>
    public byte[]? ProtectedDocument { get; private set; }

    /// <summary>PDF, JPEG or PNG, as recognised from the content.</summary>
    public string? DocumentType { get; private set; }

    public AgentConsent Consent { get; private set; } = AgentConsent.Pending;

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The person let the agent download the export; otherwise only the person may.</summary>
    public bool DeliverToAgent { get; private set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Sets the document the agent uploaded, encrypted by the caller.</summary>
    public void AttachDocument(byte[] protectedDocument, string documentType)
    {
        ProtectedDocument = protectedDocument;
        DocumentType = documentType;
    }

    /// <summary>The person's answer, given once.</summary>
    public void Decide(bool confirmed, bool deliverToAgent, DateTimeOffset now)
    {
        if (Consent != AgentConsent.Pending)
        {
            throw new RequestRuleException("You have already answered about this request.");
        }

        Consent = confirmed ? AgentConsent.Confirmed : AgentConsent.Denied;
        DeliverToAgent = confirmed && deliverToAgent;
        DecidedAt = now;
    }

    /// <summary>Staff decided the request or it closed: the permission has served its purpose. Only the decision stays.</summary>
    public bool PurgeDocument()
    {
        if (ProtectedDocument is null)
        {
            return false;
        }

        ProtectedDocument = null;
        return true;
    }
}

internal sealed class AgentAuthorizationConfiguration : IEntityTypeConfiguration<AgentAuthorization>
{
    public void Configure(EntityTypeBuilder<AgentAuthorization> builder)
    {
        builder.HasKey(a => a.RequestId);
        builder.HasOne<DataSubjectRequest>().WithOne().HasForeignKey<AgentAuthorization>(a => a.RequestId).HasPrincipalKey<DataSubjectRequest>(r => r.Id)
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.AgentId);
        builder.Property(a => a.AgentId).HasMaxLength(450);
        builder.Property(a => a.SubjectId).HasMaxLength(450);
        builder.Property(a => a.AgentName).HasMaxLength(AgentAuthorization.NameMaxLength);
        builder.Property(a => a.DocumentType).HasMaxLength(32);
    }
}
