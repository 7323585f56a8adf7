using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Documents;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Features.Verification;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Deceased;

/// <summary>What a relative sends: whose data, who they were to them, what they ask and why, and the two documents.</summary>
public sealed record RelativeClaimDraft(
    string? DeceasedIdentifier, Kinship Kinship, RequestType Asked, string? Interest, byte[]? DeathCertificate, byte[]? ProofOfRelationship,
    string? CorrectionField = null, string? CorrectionValue = null);

/// <summary>
/// The deceased's data (PIPL Art. 49): a user's own arrangement while alive, and a close relative's claim, checked
/// by an agent from documents that are deleted after the decision, then carried out as an ordinary request with the
/// relative as requester.
/// </summary>
internal sealed class DeceasedService(
    IDbContextFactory<ApplicationDbContext> contexts,
    RequestWorkflow workflow,
    AuditWriter audit,
    Outbox outbox,
    PhoneIndex phoneIndex,
    DataSources.PersonalData data,
    DeadlineCalculator deadlines,
    IDataProtectionProvider protection,
    IOptions<EmailOptions> email,
    TimeProvider clock)
{
    private readonly IDataProtector protector = protection.CreateProtector("DsrPortal.Deceased.Documents.v1");

    public async Task<LegacyArrangement?> ArrangementAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.LegacyArrangements.AsNoTracking().Where(a => a.UserId == userId).OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Records what should happen to the user's data after their death; the latest arrangement is in force.</summary>
    public async Task ArrangeAsync(string userId, LegacyChoice choice, string? personName, string? personContact, AuditActor actor, CancellationToken cancellationToken = default)
    {
        Require(Enum.IsDefined(choice), "Choose what should happen to your data.");
        var name = PortalText.IsBlank(personName) ? null : personName!.Trim();
        var contact = Contact.Parse(personContact);
        if (choice == LegacyChoice.NamedPerson)
        {
            Require(name is { Length: <= LegacyArrangement.NameMaxLength } && PortalText.IsClean([name]), "Give the name of the person you choose (at most 100 characters).");
            Require(contact is not null, "Give that person's email address or mobile number, so customer service can recognise them.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.LegacyArrangements.Add(new LegacyArrangement
        {
            UserId = userId,
            Choice = choice,
            PersonName = choice == LegacyChoice.NamedPerson ? name : null,
            PersonContact = choice == LegacyChoice.NamedPerson ? contact!.Value : null,
            RecordedAt = clock.GetUtcNow(),
        });
        await audit.AppendAsync(db, actor, AuditActions.LegacyArranged, subjectId: userId,
            details: new Dictionary<string, string?> { ["choice"] = choice.ToString() }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Receives a relative's claim with its documents. Whether the identifier matched an account is not said: the
    /// answer is the same either way, so nobody learns who has an account here.
    /// </summary>
    public async Task<Guid> SubmitAsync(string relativeId, RelativeClaimDraft draft, CancellationToken cancellationToken = default)
    {
        var identifier = Contact.Parse(draft.DeceasedIdentifier);
        Require(identifier is not null, "Give the email address or mobile number the deceased person used with us.");
        Require(Enum.IsDefined(draft.Kinship), "Say who you were to the deceased person.");
        Require(draft.Asked is RequestType.Export or RequestType.Correction or RequestType.Deletion, "Choose whether to receive a copy of the data, to have it corrected or to have it deleted.");
        if (draft.Asked == RequestType.Correction)
        {
            Require(data.CorrectableFields.Any(f => f.Key == draft.CorrectionField), "Choose the fields to correct from the list.");
            Require(!PortalText.IsBlank(draft.CorrectionValue) && draft.CorrectionValue!.Trim().Length <= Corrections.CorrectionItem.ValueMaxLength
                && PortalText.IsClean([draft.CorrectionValue]), "Give the correct value.");
        }

        Require(!PortalText.IsBlank(draft.Interest) && draft.Interest!.Trim().Length <= RelativeClaim.InterestMaxLength && PortalText.IsClean([draft.Interest]),
            "Say why you ask: the law lets relatives act for their own lawful interests (at most 2000 characters).");
        string? deathType = null, relationType = null;
        var death = draft.DeathCertificate is null ? null : DocumentCheck.Clean(draft.DeathCertificate, out deathType, out _);
        var relation = draft.ProofOfRelationship is null ? null : DocumentCheck.Clean(draft.ProofOfRelationship, out relationType, out _);
        Require(death is not null && relation is not null && deathType is not null && relationType is not null, "Both documents are needed: the death certificate and a proof of your relationship, each a PDF, JPEG or PNG file of at most 5 MB.");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var normalizedEmail = identifier!.IsEmail ? identifier.Value.ToUpperInvariant() : null;
        var phone = identifier.IsEmail ? null : await phoneIndex.OfAsync(identifier.Value, cancellationToken);
        var deceased = await SubjectAccounts.Active(db)
            .Where(u => normalizedEmail != null ? u.EmailConfirmed && u.NormalizedEmail == normalizedEmail : u.PhoneNumberConfirmed && u.PhoneNumberIndex == phone)
            .Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        Require(deceased != relativeId, "You cannot make this request about your own account.");

        var now = clock.GetUtcNow();
        var claim = new RelativeClaim
        {
            Id = Guid.NewGuid(),
            RelativeId = relativeId,
            DeceasedId = deceased,
            Kinship = draft.Kinship,
            Asked = draft.Asked,
            CorrectionField = draft.Asked == RequestType.Correction ? draft.CorrectionField : null,
            CorrectionValue = draft.Asked == RequestType.Correction ? draft.CorrectionValue!.Trim() : null,
            Interest = draft.Interest!.Trim(),
            Status = RelativeClaimStatus.Submitted,
            ReceivedAt = now,
            DueAt = deadlines.DueAt(deadlines.DefaultProfile, now),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RelativeClaims.Add(claim);
        db.RelativeDocuments.Add(new RelativeDocument { ClaimId = claim.Id, Kind = RelativeDocumentKind.DeathCertificate, ContentType = deathType!, Size = death!.Length, ProtectedContent = protector.Protect(death) });
        db.RelativeDocuments.Add(new RelativeDocument { ClaimId = claim.Id, Kind = RelativeDocumentKind.ProofOfRelationship, ContentType = relationType!, Size = relation!.Length, ProtectedContent = protector.Protect(relation) });
        await audit.AppendAsync(db, new AuditActor(relativeId, PortalRoles.Subject), AuditActions.RelativeClaimSubmitted, subjectId: deceased, details: new Dictionary<string, string?>
        {
            ["claim"] = claim.Id.ToString(),
            ["kinship"] = claim.Kinship.ToString(),
            ["asked"] = claim.Asked.ToString(),
            ["matched"] = deceased is null ? "false" : "true",
        }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claim.Id;
    }

    public async Task<IReadOnlyList<RelativeClaim>> ClaimsOfAsync(string relativeId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RelativeClaims.AsNoTracking().Where(c => c.RelativeId == relativeId).OrderByDescending(c => c.ReceivedAt).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RelativeClaim>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RelativeClaims.AsNoTracking().Where(c => c.Status == RelativeClaimStatus.Submitted).OrderBy(c => c.DueAt).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>A staff member opens a pending document to check it; every opening is audited.</summary>
    public async Task<(byte[] Content, string ContentType)?> OpenDocumentAsync(long documentId, AuditActor staff, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await (from d in db.RelativeDocuments.AsNoTracking()
                           join c in db.RelativeClaims.AsNoTracking() on d.ClaimId equals c.Id
                           where d.Id == documentId
                           select new { d.Kind, d.ContentType, d.ProtectedContent, c.Id, c.DeceasedId }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await audit.AppendAsync(db, staff, AuditActions.RelativeDocumentViewed, subjectId: found.DeceasedId,
            details: new Dictionary<string, string?> { ["claim"] = found.Id.ToString(), ["kind"] = found.Kind.ToString() }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (protector.Unprotect(found.ProtectedContent), found.ContentType);
    }

    /// <summary>
    /// Verifies a claim, which then becomes a request with the relative as requester, or refuses it with a reason
    /// the relative reads. Either way the documents are deleted in the same transaction, and what the deceased
    /// arranged while alive is respected: nobody, or only the person they named.
    /// </summary>
    public async Task<Guid?> DecideAsync(Guid claimId, RequestActor agent, bool verify, string? reason, CancellationToken cancellationToken = default)
    {
        Require(agent.IsStaff, "Only customer service can decide a claim.");
        RelativeClaim? claim;
        LegacyArrangement? arrangement;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            claim = await db.RelativeClaims.AsNoTracking().SingleOrDefaultAsync(c => c.Id == claimId, cancellationToken);
            Require(claim is { Status: RelativeClaimStatus.Submitted }, "Only a claim waiting for its check can be decided.");
            arrangement = claim!.DeceasedId is null ? null
                : await db.LegacyArrangements.AsNoTracking().Where(a => a.UserId == claim.DeceasedId).OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        }

        if (!verify)
        {
            Require(!PortalText.IsBlank(reason) && reason!.Trim().Length <= RelativeClaim.ReasonMaxLength && PortalText.IsClean([reason]),
                "Give the reason for refusing: the relative reads it (at most 1000 characters).");
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var refused = await db.RelativeClaims.SingleAsync(c => c.Id == claimId, cancellationToken);
            await CloseAsync(db, refused, agent, RelativeClaimStatus.Refused, reason!.Trim(), cancellationToken);
            outbox.Enqueue(db, "relative-refused", refused.RelativeId, requestId: null, new Dictionary<string, string>
            {
                ["Reason"] = refused.RefusalReason!,
                ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/requests/deceased",
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        Require(claim.DeceasedId is not null, "No account matches the identifier the relative gave: refuse the claim and say so.");
        Require(arrangement?.Choice != LegacyChoice.Nobody, "The deceased arranged while alive that nobody may act on their data: refuse the claim and say so.");
        Require(arrangement?.Choice != LegacyChoice.NamedPerson || claim.Kinship == Kinship.NamedByDeceased,
            "The deceased named one person to decide about their data: only that person's claim can be verified.");
        Require(claim.Kinship != Kinship.NamedByDeceased || arrangement?.Choice == LegacyChoice.NamedPerson,
            "The deceased named nobody: a claim as the named person cannot be verified.");

        var result = await workflow.SubmitAsync(new NewRequest
        {
            Type = claim.Asked,
            DeletionScope = claim.Asked == RequestType.Deletion ? DeletionScope.WholeAccount : null,
            SubjectId = claim.DeceasedId!,
            RequesterId = claim.RelativeId,
            Relation = RequesterRelation.Relative,
            Channel = RequestChannel.Web,
            Description = claim.Interest,
            Corrections = claim.Asked == RequestType.Correction ? new Dictionary<string, string> { [claim.CorrectionField!] = claim.CorrectionValue! } : null,
        }, agent, "relative-documents", cancellationToken, async (db, request) =>
        {
            var verified = await db.RelativeClaims.SingleAsync(c => c.Id == claimId, cancellationToken);
            verified.RequestId = request.Id;
            await CloseAsync(db, verified, agent, RelativeClaimStatus.Verified, null, cancellationToken);
        });
        Require(result.Succeeded, "The request could not be created: {0}", result.Error?.Key ?? "");
        return result.Request!.Id;
    }

    private async Task CloseAsync(ApplicationDbContext db, RelativeClaim claim, RequestActor agent, RelativeClaimStatus status, string? reason, CancellationToken cancellationToken)
    {
        var documents = await db.RelativeDocuments.AsNoTracking().Where(d => d.ClaimId == claim.Id).OrderBy(d => d.Kind)
            .Select(d => new { d.Kind, d.ContentType, d.Size }).ToListAsync(cancellationToken);
        claim.Status = status;
        claim.RefusalReason = reason;
        claim.DecidedBy = agent.UserId;
        claim.DecidedAt = clock.GetUtcNow();
        claim.Checked = string.Join("; ", documents.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"{d.Kind} ({DocumentCheck.Label(d.ContentType)}, {Math.Max(1, d.Size / 1024)} KB)")));
        db.RelativeDocuments.RemoveRange(await db.RelativeDocuments.Where(d => d.ClaimId == claim.Id).ToListAsync(cancellationToken));
        await audit.AppendAsync(db, agent.ForAudit, status == RelativeClaimStatus.Verified ? AuditActions.RelativeClaimVerified : AuditActions.RelativeClaimRefused,
            requestId: claim.RequestId, subjectId: claim.DeceasedId, details: new Dictionary<string, string?>
            {
                ["claim"] = claim.Id.ToString(),
                ["kinship"] = claim.Kinship.ToString(),
                ["documents"] = string.Join(",", documents.Select(d => d.Kind)),
                ["purged"] = documents.Count.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken: cancellationToken);
    }
}
