using System.Security.Cryptography;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Verification;
using DsrPortal.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Agents;

/// <summary>What an authorized agent sends: the person's address or number, who the agent is, the request and the signed permission.</summary>
public sealed record AgentSubmission(
    string? SubjectContact, AgentKind Kind, string? AgentName, Func<string, NewRequest> Request, string? FileName, byte[]? Document, RequestChannel Channel);

/// <summary>What the person sees when they open the link to answer.</summary>
public sealed record AgentQuestion(Guid RequestId, string SubjectId, string Reference, RequestType Type, AgentKind Kind, string AgentName, AgentConsent Consent);

/// <summary>
/// Requests by authorized agents (CCPA 7063). The agent, signed in with a proven email address or number of
/// their own, names the person by address or number and uploads a signed permission (PDF, JPEG or PNG,
/// checked by content). The request waits until the person answers through a signed link sent to that
/// address or number, never to the agent: only then does it join the queue, and answering proves the
/// address or number. The agent follows the request; the export goes to the person unless they say otherwise.
/// </summary>
internal sealed class AgentRequests(
    IDbContextFactory<ApplicationDbContext> contexts,
    RequestWorkflow workflow,
    RequestUnitOfWork work,
    PhoneIndex index,
    PhoneNumberProtector phones,
    AuditWriter audit,
    Notifications.Outbox outbox,
    IDataProtectionProvider protection,
    IOptions<VerificationOptions> verification,
    IOptions<Notifications.EmailOptions> email,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> localizer,
    TimeProvider clock)
{
    private const string Purpose = "DsrPortal.Agents.Consent";

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    public async Task<WorkflowResult> SubmitAsync(AgentSubmission input, RequestActor agent, CancellationToken cancellationToken)
    {
        try
        {
            Require(!agent.IsStaff, "Staff log requests from the queue, not as an authorized agent.");
            Require(await HasProvenContactAsync(agent.UserId, cancellationToken),
                "Prove your own email address or mobile number first: the person is told who is acting for them, and we write to you there.");
            Require(Contact.Parse(input.SubjectContact) is not null, "Enter the person's email address, or their 11-digit mainland China mobile number.");
            Require(Enum.IsDefined(input.Kind), "Say how you are related to the person.");
            Require(!Requests.PortalText.IsBlank(input.AgentName) && input.AgentName.Trim().Length <= AgentAuthorization.NameMaxLength,
                "Give your name, or your organisation's, in at most 120 characters.");
            Require(Requests.PortalText.IsClean(input.AgentName), Requests.PortalText.ControlCharacters);
            Require(input.Document is { Length: > 0 } && Documents.DocumentCheck.Clean(input.Document, out _, out _) is not null,
                "Upload the signed permission as a PDF, JPEG or PNG file of at most 5 MB.");
            (input.Request("placeholder") with { Corrections = null }).Validate();
        }
        catch (RequestRuleException e)
        {
            return WorkflowResult.Rule(e);
        }

        var contact = Contact.Parse(input.SubjectContact)!;
        var subject = await FindOrCreateSubjectAsync(contact, cancellationToken);
        if (subject.Id == agent.UserId)
        {
            return WorkflowResult.Rule(new RequestRuleException("You cannot act as your own authorized agent: make the request for yourself instead."));
        }

        // No field list with current values: those would show the agent the person's data before the person answered.
        var details = input.Request(subject.Id) with
        {
            SubjectId = subject.Id, RequesterId = agent.UserId, Relation = RequesterRelation.AuthorizedAgent, Channel = input.Channel,
            Corrections = null, RelatedRequestId = null,
        };
        var document = Documents.DocumentCheck.Clean(input.Document!, out var detected, out _)!;
        var contentType = detected!;
        var protectedDocument = DocumentProtector(protection).Protect(document);
        var agentName = input.AgentName!.Trim();
        return await workflow.SubmitAsync(details, agent, verificationMethod: null, cancellationToken, alongside: async (db, request) =>
        {
            var authorization = new AgentAuthorization
            {
                RequestId = request.Id, AgentId = agent.UserId, SubjectId = subject.Id, Kind = input.Kind, AgentName = agentName, CreatedAt = clock.GetUtcNow(),
            };
            authorization.AttachDocument(protectedDocument, contentType);
            db.AgentAuthorizations.Add(authorization);
            await audit.AppendAsync(db, agent.ForAudit, AuditActions.AgentRequested, request.Id, subject.Id, new Dictionary<string, string?>
            {
                ["kind"] = input.Kind.ToString(),
                ["contact"] = contact.IsEmail ? "email" : "phone",
                ["document"] = Documents.DocumentCheck.Label(contentType),
            }, cancellationToken);
            // Straight to the address or number the agent gave: answering the link is what proves it is the person's.
            outbox.Enqueue(db, "agent-confirm", subject.Id, request.Id, new Dictionary<string, string>
            {
                ["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/agent-consent/{Token(request.Id, subject.Id)}",
                ["AgentName"] = agentName,
                ["KindKey"] = AgentLabels.Kind(input.Kind),
                ["TypeKey"] = RequestLabels.Type(request.Type),
            }, address: contact.Value, culture: subject.Culture);
        });
    }

    /// <summary>The question behind a link, or null when the link is forged or expired.</summary>
    public async Task<AgentQuestion?> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        if (Read(token) is not { } target)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await (from a in db.AgentAuthorizations.AsNoTracking()
                           join r in db.Requests.AsNoTracking() on a.RequestId equals r.Id
                           where a.RequestId == target.RequestId && a.SubjectId == target.SubjectId
                           select new { a.Kind, a.AgentName, a.Consent, r.Type, r.ReceivedAt, r.Number }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null
            : new AgentQuestion(target.RequestId, target.SubjectId, DataSubjectRequest.FormatReference(found.ReceivedAt, found.Number), found.Type, found.Kind, found.AgentName, found.Consent);
    }

    /// <summary>The person's answer. A confirmation also proves the address or number the link reached.</summary>
    public async Task<WorkflowResult> AnswerAsync(string? token, bool confirmed, bool deliverToAgent, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, cancellationToken) is not { } question)
        {
            return WorkflowResult.NotFound();
        }

        if (confirmed && question.Consent == AgentConsent.Pending)
        {
            await ProveContactAsync(question.SubjectId, cancellationToken);
        }

        return await RecordAnswerAsync(question.RequestId, question.SubjectId, confirmed, deliverToAgent, cancellationToken);
    }

    /// <summary>
    /// They authorized the agent (the request joins the queue) or they did not (it closes, and the agent is
    /// told why in their own language).
    /// </summary>
    private Task<WorkflowResult> RecordAnswerAsync(Guid id, string subjectId, bool confirmed, bool deliverToAgent, CancellationToken cancellationToken)
    {
        var actor = new RequestActor(subjectId, PortalRoles.Subject);
        return work.ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            var authorization = await db.AgentAuthorizations.SingleOrDefaultAsync(a => a.RequestId == id, cancellationToken);
            Require(authorization is not null && request.SubjectId == subjectId && request.Relation == RequesterRelation.AuthorizedAgent,
                "This request does not exist, or it is not yours.");
            Require(request.Status == RequestStatus.AwaitingVerification, "You have already answered about this request.");
            authorization!.Decide(confirmed, deliverToAgent, now);
            await work.AuditAsync(db, actor, confirmed ? AuditActions.AgentConfirmed : AuditActions.AgentDenied, request,
                new Dictionary<string, string?> { ["deliverTo"] = authorization.DeliverToAgent ? "agent" : "subject" }, cancellationToken);
            if (confirmed)
            {
                var from = request.Verify(VerificationLabels.AgentConfirmed, now);
                await work.StatusChangedAsync(db, actor, request, from, "request-status", cancellationToken: cancellationToken);
                return;
            }

            string explanation;
            using (PortalCultures.Use(await RequestUnitOfWork.PreferredCultureAsync(db, request.RequesterId, cancellationToken)))
            {
                explanation = localizer["The person this request is about told us they did not ask you to act for them, so we will not act on it."];
            }

            var refused = request.Refuse(RefusalReason.IdentityNotVerified, explanation, bySupervisor: false, now);
            await work.StatusChangedAsync(db, actor, request, refused, "request-refused",
                new Dictionary<string, string?> { ["reason"] = RefusalReason.IdentityNotVerified.ToString() }, cancellationToken);
        }, cancellationToken);
    }

    public static IDataProtector DocumentProtector(IDataProtectionProvider provider) => provider.CreateProtector("DsrPortal.Agents.Permission.v1");

    private string Token(Guid requestId, string subjectId) =>
        Protector.Protect($"{requestId:N}|{subjectId}", TimeSpan.FromDays(verification.Value.CloseUnverifiedAfterDays + 1));

    private (Guid RequestId, string SubjectId)? Read(string? token)
    {
        try
        {
            var parts = (string.IsNullOrEmpty(token) || token.Length > 2048 ? "" : Protector.Unprotect(token)).Split('|');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var id) ? (id, parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private async Task<bool> HasProvenContactAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => u.Id == userId && (u.EmailConfirmed || u.PhoneNumberConfirmed), cancellationToken);
    }

    /// <summary>The account the address or number belongs to; otherwise a guest account holding it, not yet proven.</summary>
    private async Task<(string Id, string Culture)> FindOrCreateSubjectAsync(Contact contact, CancellationToken cancellationToken)
    {
        var phoneIndex = contact.IsEmail ? null : await index.OfAsync(contact.Value, cancellationToken);
        var protectedPhone = contact.IsEmail ? null : phones.Protect(contact.Value);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = contact.IsEmail
            ? await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == contact.Value.ToUpperInvariant() && u.LockoutEnd != DateTimeOffset.MaxValue)
                .OrderBy(u => u.IsGuest).Select(u => new { u.Id, u.PreferredCulture }).FirstOrDefaultAsync(cancellationToken)
            : await db.Users.AsNoTracking().Where(u => u.PhoneNumberIndex == phoneIndex)
                .Select(u => new { u.Id, u.PreferredCulture }).SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return (existing.Id, existing.PreferredCulture);
        }

        // Not proven: the agent typed it. It matches nothing until the person answers the link sent there.
        var user = await Intake.GuestAccounts.AddGuestAsync(db, contact, proven: false, phoneIndex: null, protectedPhone, PortalCultures.Current,
            clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (user.Id, user.PreferredCulture);
    }

    /// <summary>The link reached the person at the address or number the agent gave: it now counts as theirs.</summary>
    private async Task ProveContactAsync(string subjectId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == subjectId, cancellationToken);
        if (user is null || !user.IsGuest || user.EmailConfirmed || user.PhoneNumberConfirmed)
        {
            return;
        }

        if (user.Email is not null)
        {
            user.EmailConfirmed = true;
        }
        else if (phones.Unprotect(user.ProtectedPhoneNumber) is { } phone)
        {
            user.PhoneNumberIndex = await index.OfAsync(phone, cancellationToken);
            user.PhoneNumberConfirmed = true;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another account proved this number meanwhile: it stays that account's; this one keeps matching nothing.
        }
    }
}
