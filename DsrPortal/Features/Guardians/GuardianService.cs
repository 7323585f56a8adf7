using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Documents;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Guardians;

/// <summary>A minor a guardian may act for now: a verified link, and the minor still under the age limit.</summary>
public sealed record Ward(Guid LinkId, string MinorId, string Nickname, bool ConsentInForce);

/// <summary>
/// Guardian links from invitation or application to verification, and the one question every page and
/// endpoint asks: may this account act for that minor? Rules are refused with a <see cref="RequestRuleException"/>.
/// </summary>
internal sealed class GuardianService(
    IDbContextFactory<ApplicationDbContext> contexts,
    AuditWriter audit,
    Outbox outbox,
    Webhooks.WebhookOutbox webhooks,
    DeadlineCalculator deadlines,
    IDataProtectionProvider protection,
    IOptionsMonitor<MinorOptions> minors,
    IOptions<EmailOptions> email,
    TimeProvider clock)
{
    private const int OpenLinksPerMinor = 5;
    private readonly IDataProtector protector = protection.CreateProtector("DsrPortal.Guardians.Documents.v1");

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The minors this account may act for right now.</summary>
    public async Task<IReadOnlyList<Ward>> WardsAsync(string guardianId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from link in db.GuardianLinks
                          join minor in db.Users on link.MinorId equals minor.Id
                          where link.GuardianId == guardianId && link.Status == GuardianLinkStatus.Verified
                          select new { link.Id, link.MinorId, minor.Nickname, minor.DateOfBirth, link.ConsentGivenAt, link.ConsentWithdrawnAt })
            .AsNoTracking().ToListAsync(cancellationToken);
        // A link ends by itself when the minor reaches the age limit: from then on they act for themselves.
        return [.. rows.Where(r => minors.CurrentValue.IsMinor(r.DateOfBirth, Today))
            .Select(r => new Ward(r.Id, r.MinorId, r.Nickname, r.ConsentGivenAt is not null && r.ConsentWithdrawnAt is null))];
    }

    public async Task<bool> MayActForAsync(string guardianId, string minorId, CancellationToken cancellationToken = default) =>
        guardianId != minorId && (await WardsAsync(guardianId, cancellationToken)).Any(w => w.MinorId == minorId);

    /// <summary>The minor invites a guardian by email; the address is used for this one email and not kept.</summary>
    public async Task InviteAsync(string minorId, string guardianEmail, CancellationToken cancellationToken = default)
    {
        var address = guardianEmail?.Trim() ?? "";
        Require(System.Net.Mail.MailAddress.TryCreate(address, out _) && address.Length <= PortalLimits.EmailMaxLength, "Enter your guardian's email address.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var minor = await db.Users.AsNoTracking().SingleAsync(u => u.Id == minorId, cancellationToken);
        Require(string.Equals(minor.Email, address, StringComparison.OrdinalIgnoreCase) is false, "Invite your parent or guardian, not yourself.");
        Require(minors.CurrentValue.IsMinor(minor.DateOfBirth, Today), "Only an account under the age limit can invite a guardian.");
        Require(await db.GuardianLinks.CountAsync(l => l.MinorId == minorId && l.Status != GuardianLinkStatus.Revoked && l.Status != GuardianLinkStatus.Refused, cancellationToken) < OpenLinksPerMinor,
            "You already have five open guardian links; end one first.");

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var link = GuardianLink.Invite(minorId, Hash(token), clock.GetUtcNow());
        db.GuardianLinks.Add(link);
        outbox.Enqueue(db, "guardian-invitation", minorId, requestId: null, new Dictionary<string, string>
        {
            ["Nickname"] = minor.Nickname,
            ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/guardians/accept/{token}",
        }, address, minor.PreferredCulture);
        await audit.AppendAsync(db, new AuditActor(minorId, PortalRoles.Subject), AuditActions.GuardianInvited, subjectId: minorId,
            details: new Dictionary<string, string?> { ["link"] = link.Id.ToString() }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The invited person, signed in, accepts: the link is theirs, and their documents come next.</summary>
    public async Task<Guid> AcceptInvitationAsync(string token, string guardianId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = Hash(token ?? "");
        var link = await db.GuardianLinks.SingleOrDefaultAsync(l => l.InvitationTokenHash == hash && l.Status == GuardianLinkStatus.Invited, cancellationToken);
        Require(link is not null, "This invitation is not valid any more. Ask for a new one.");
        link!.Accept(guardianId);
        await SaveWithAuditAsync(db, link, new AuditActor(guardianId, PortalRoles.Subject), AuditActions.GuardianLinked, "InvitedByMinor", cancellationToken);
        return link.Id;
    }

    /// <summary>A guardian names the minor's account by its email; the same answer whether or not it exists, when it is not a minor's.</summary>
    public async Task<Guid> ApplyAsync(string guardianId, string minorEmail, CancellationToken cancellationToken = default)
    {
        var normalized = (minorEmail ?? "").Trim().ToUpperInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var minor = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized && u.PasswordHash != null)
            .Select(u => new { u.Id, u.DateOfBirth }).SingleOrDefaultAsync(cancellationToken);
        Require(minor is not null && minors.CurrentValue.IsMinor(minor.DateOfBirth, Today), "No account of a minor has that email address.");
        Require(minor!.Id != guardianId, "Invite your parent or guardian, not yourself.");
        Require(!await db.GuardianLinks.AnyAsync(l => l.MinorId == minor.Id && l.GuardianId == guardianId
            && (l.Status == GuardianLinkStatus.AwaitingDocuments || l.Status == GuardianLinkStatus.PendingVerification || l.Status == GuardianLinkStatus.Verified), cancellationToken),
            "You already have a link to this account.");
        var link = GuardianLink.RequestedBy(guardianId, minor.Id, clock.GetUtcNow());
        db.GuardianLinks.Add(link);
        await SaveWithAuditAsync(db, link, new AuditActor(guardianId, PortalRoles.Subject), AuditActions.GuardianLinked, "RequestedByGuardian", cancellationToken);
        return link.Id;
    }

    /// <summary>The proof of guardianship and the signed written consent: checked by content, stored encrypted until decided.</summary>
    public async Task SubmitDocumentsAsync(Guid linkId, string guardianId, byte[] proof, byte[] consent, CancellationToken cancellationToken = default)
    {
        proof = DocumentCheck.Clean(proof, out var proofType, out var proofProblem) ?? proof;
        consent = DocumentCheck.Clean(consent, out var consentType, out var consentProblem) ?? consent;
        Require(proofProblem is null && consentProblem is null, "A document was refused: upload a PDF, JPEG or PNG file of at most 5 MB for each.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var link = await db.GuardianLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.GuardianId == guardianId, cancellationToken);
        Require(link is not null, "This guardian link does not exist, or it is not yours.");
        var now = clock.GetUtcNow();
        link!.ReceiveDocuments(deadlines.DueAt(deadlines.DefaultProfile, now), now);
        db.GuardianDocuments.Add(Document(link.Id, GuardianDocumentKind.ProofOfGuardianship, proofType!, proof, now));
        db.GuardianDocuments.Add(Document(link.Id, GuardianDocumentKind.WrittenConsent, consentType!, consent, now));
        await SaveWithAuditAsync(db, link, new AuditActor(guardianId, PortalRoles.Subject), AuditActions.GuardianDocumentsSubmitted,
            $"{DocumentCheck.Label(proofType!)}+{DocumentCheck.Label(consentType!)}", cancellationToken);
    }

    /// <summary>A staff member opens a pending document to check it; every opening is audited.</summary>
    public async Task<(byte[] Content, string ContentType)?> OpenDocumentAsync(long documentId, AuditActor staff, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var document = await db.GuardianDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var link = await db.GuardianLinks.SingleAsync(l => l.Id == document.LinkId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await audit.AppendAsync(db, staff, AuditActions.GuardianDocumentViewed, subjectId: link.MinorId, details: new Dictionary<string, string?>
        {
            ["link"] = link.Id.ToString(),
            ["kind"] = document.Kind.ToString(),
        }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (protector.Unprotect(document.ProtectedContent), document.ContentType);
    }

    /// <summary>
    /// Verifies or refuses a pending link. The documents are deleted in the same transaction; what stays
    /// is who decided, when, and what was checked (document kinds, types and sizes).
    /// </summary>
    public async Task DecideAsync(Guid linkId, AuditActor staff, bool verify, string? reason, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var link = await db.GuardianLinks.SingleOrDefaultAsync(l => l.Id == linkId, cancellationToken);
        Require(link is not null, "Only a link waiting for verification can be decided.");
        var documents = await db.GuardianDocuments.AsNoTracking().Where(d => d.LinkId == linkId).OrderBy(d => d.Kind)
            .Select(d => new { d.Kind, d.ContentType, d.Size }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var method = "Checked by an agent: " + string.Join("; ", documents.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"{d.Kind} ({DocumentCheck.Label(d.ContentType)}, {Math.Max(1, d.Size / 1024)} KB)")));
        if (verify)
        {
            link!.Verify(staff.Id, method, now);
        }
        else
        {
            link!.Refuse(staff.Id, method, reason ?? "", now);
        }

        await db.GuardianDocuments.Where(d => d.LinkId == linkId).ExecuteDeleteAsync(cancellationToken);
        await audit.AppendAsync(db, staff, verify ? AuditActions.GuardianVerified : AuditActions.GuardianRefused, subjectId: link.MinorId,
            details: new Dictionary<string, string?> { ["link"] = link.Id.ToString(), ["documents"] = string.Join(",", documents.Select(d => d.Kind)), ["purged"] = documents.Count.ToString(CultureInfo.InvariantCulture) },
            cancellationToken: cancellationToken);
        outbox.Enqueue(db, "guardian-decided", link.GuardianId!, requestId: null, new Dictionary<string, string>
        {
            ["StatusKey"] = GuardianLabels.Status(link.Status),
            ["Reason"] = link.RefusalReason ?? "",
            ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/guardians",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The guardian, the minor or staff ends a link; the guardian's access stops at once.</summary>
    public async Task EndAsync(Guid linkId, string actorId, string actorRole, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var link = await db.GuardianLinks.SingleOrDefaultAsync(l => l.Id == linkId, cancellationToken);
        var staff = actorRole is PortalRoles.Agent or PortalRoles.Supervisor;
        Require(link is not null && (staff || link.GuardianId == actorId || link.MinorId == actorId), "This guardian link does not exist, or it is not yours.");
        link!.End(actorId, clock.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.GuardianDocuments.Where(d => d.LinkId == linkId).ExecuteDeleteAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditActor(actorId, actorRole), AuditActions.GuardianLinkEnded, subjectId: link.MinorId,
            details: new Dictionary<string, string?> { ["link"] = link.Id.ToString() }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The guardian withdraws the written consent the policy needs; the minor and the agents see it.</summary>
    public async Task WithdrawConsentAsync(Guid linkId, string guardianId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var link = await db.GuardianLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.GuardianId == guardianId, cancellationToken);
        Require(link is not null, "This guardian link does not exist, or it is not yours.");
        link!.WithdrawConsent(clock.GetUtcNow());
        // The app stops the minor's use until consent is given again; it hears of it with the change.
        webhooks.Enqueue(db, Webhooks.WebhookEvents.GuardianConsentWithdrawn, link.MinorId, new Dictionary<string, string> { ["link"] = link.Id.ToString() });
        await SaveWithAuditAsync(db, link, new AuditActor(guardianId, PortalRoles.Subject), AuditActions.GuardianConsentWithdrawn, null, cancellationToken);
    }

    private GuardianDocument Document(Guid linkId, GuardianDocumentKind kind, string contentType, byte[] content, DateTimeOffset now) => new()
    {
        LinkId = linkId, Kind = kind, ContentType = contentType, Size = content.Length, ProtectedContent = protector.Protect(content), UploadedAt = now,
    };

    private async Task SaveWithAuditAsync(ApplicationDbContext db, GuardianLink link, AuditActor actor, string action, string? detail, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var details = new Dictionary<string, string?> { ["link"] = link.Id.ToString() };
        if (detail is not null)
        {
            details["detail"] = detail;
        }

        await audit.AppendAsync(db, actor, action, subjectId: link.MinorId, details: details, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
