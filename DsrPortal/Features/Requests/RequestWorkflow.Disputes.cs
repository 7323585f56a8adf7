using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Disputes;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Requests;

/// <summary>
/// Disputes (clause 7): negotiation in the request's thread through proposals the requester accepts or
/// rejects; an accepted one is the settlement and may start a linked deletion; failing that, the
/// dispute closes unresolved with a written notice naming the court route and the regulator.
/// </summary>
internal sealed partial class RequestWorkflow
{
    public const int EscalateDaysBeforeDue = 3;

    public Task<WorkflowResult> ProposeAsync(
        Guid id, string text, DeletionScope? deletion, IReadOnlyList<DataCategory> categories, RequestActor actor, int? expectedVersion,
        CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(request.Type == RequestType.Dispute, "Only a dispute is negotiated with proposals.");
            Require(!PortalText.IsBlank(text), "Write what you propose to do.");
            Require(text.Trim().Length <= DisputeProposal.TextMaxLength, "Keep the proposal to 2000 characters.");
            Require(deletion is null or DeletionScope.WholeAccount or DeletionScope.SelectedCategories, "A settlement can delete the whole account or chosen categories.");
            Require(deletion != DeletionScope.SelectedCategories || categories.Count > 0, "Choose at least one category of data to delete.");
            var from = request.AskRequester(now);
            await db.DisputeProposals.Where(p => p.RequestId == id && p.Status == ProposalStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, ProposalStatus.Withdrawn), cancellationToken);
            db.DisputeProposals.Add(new DisputeProposal
            {
                RequestId = id, AuthorId = actor.UserId, Text = text.Trim(), Deletion = deletion, ProposedAt = now,
                Categories = deletion == DeletionScope.SelectedCategories ? string.Join(',', categories.Distinct().Order()) : null,
            });
            AddMessage(db, request, actor, text.Trim(), MessageKind.Proposal, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.DisputeProposed, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["deletion"] = deletion?.ToString() }, cancellationToken);
            await StatusChangedAsync(db, actor, request, from, "dispute-proposal", cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// The requester answers the open proposal. Accepted: the dispute is settled, and a deletion it
    /// implies becomes a linked request in the queue, carried out as usual. Rejected: negotiation goes on.
    /// </summary>
    public Task<WorkflowResult> AnswerProposalAsync(Guid id, bool accept, string? comment, RequestActor actor, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(!actor.IsStaff, "Only the requester can answer a proposal.");
            Require((comment?.Trim().Length ?? 0) <= 1000, "Keep the comment to 1000 characters.");
            var proposal = await db.DisputeProposals.SingleOrDefaultAsync(p => p.RequestId == id && p.Status == ProposalStatus.Open, cancellationToken);
            Require(proposal is not null && request.Status == RequestStatus.AwaitingRequester, "There is no proposal waiting for your answer.");
            proposal!.Status = accept ? ProposalStatus.Accepted : ProposalStatus.Rejected;
            proposal.AnsweredAt = now;
            proposal.Answer = PortalText.IsBlank(comment) ? null : comment.Trim();
            if (proposal.Answer is not null)
            {
                AddMessage(db, request, actor, proposal.Answer, MessageKind.Message, now);
            }

            await audit.AppendAsync(db, actor.ForAudit, AuditActions.DisputeProposalAnswered, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["answer"] = accept ? "Accepted" : "Rejected" }, cancellationToken);
            await ResumeClockAsync(db, request, actor, now, cancellationToken);
            if (!accept)
            {
                return;
            }

            if (proposal.Deletion is { } scope)
            {
                var linked = await StartSettlementDeletionAsync(db, request, proposal, scope, actor, now, cancellationToken);
                proposal.LinkedRequestId = linked.Id;
            }

            var from = request.Settle(proposal.Text, now);
            await StatusChangedAsync(db, actor, request, from, "request-completed",
                new Dictionary<string, string?> { ["outcome"] = nameof(DisputeOutcome.Settled) }, cancellationToken);
        }, cancellationToken);

    public Task<WorkflowResult> EscalateAsync(Guid id, string reason, RequestActor actor, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            request.Escalate(reason, now);
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.DisputeEscalated, request.Id, request.SubjectId,
                new Dictionary<string, string?> { ["by"] = actor.Role }, cancellationToken);
        }, cancellationToken);

    /// <summary>Negotiation failed: the requester gets a written notice, in their language, of the court route and the regulator.</summary>
    public Task<WorkflowResult> CloseUnresolvedAsync(Guid id, string explanation, RequestActor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        StaffActAsync(id, actor, expectedVersion, requireAssignee: true, async (db, request, now) =>
        {
            Require(!PortalText.IsBlank(explanation), "Explain where the negotiation stopped: the requester reads it with the notice.");
            Require(explanation.Trim().Length <= 2000, "Keep the explanation to 2000 characters.");
            var culture = await db.Users.Where(u => u.Id == request.RequesterId).Select(u => u.PreferredCulture).SingleOrDefaultAsync(cancellationToken);
            await db.DisputeProposals.Where(p => p.RequestId == id && p.Status == ProposalStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, ProposalStatus.Withdrawn), cancellationToken);
            var from = request.CloseUnresolved(UnresolvedNotice(explanation.Trim(), culture), now);
            await StatusChangedAsync(db, actor, request, from, "dispute-unresolved",
                new Dictionary<string, string?> { ["outcome"] = nameof(DisputeOutcome.Unresolved) }, cancellationToken);
        }, cancellationToken);

    /// <summary>Open disputes close to their deadline go to a supervisor; the worker calls this every round.</summary>
    public async Task<int> EscalateDisputesNearDeadlineAsync(CancellationToken cancellationToken = default)
    {
        var soon = clock.GetUtcNow().AddDays(EscalateDaysBeforeDue);
        List<Guid> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Requests.Where(r => r.Type == RequestType.Dispute && r.EscalatedAt == null && !RequestStatuses.Closed.Contains(r.Status) && r.DueAt <= soon)
                .Select(r => r.Id).Take(100).ToListAsync(cancellationToken);
        }

        var escalated = 0;
        foreach (var id in due)
        {
            if ((await EscalateAsync(id, "The deadline is near.", RequestActor.System, cancellationToken)).Succeeded)
            {
                escalated++;
            }
        }

        return escalated;
    }

    private async Task<DataSubjectRequest> StartSettlementDeletionAsync(
        ApplicationDbContext db, DataSubjectRequest dispute, DisputeProposal proposal, DeletionScope scope, RequestActor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var profile = deadlines.DefaultProfile;
        var deletion = DataSubjectRequest.Submit(new NewRequest
        {
            Type = RequestType.Deletion,
            SubjectId = dispute.SubjectId,
            RequesterId = dispute.RequesterId,
            Relation = dispute.Relation,
            Channel = dispute.Channel,
            DeletionScope = scope,
            Categories = scope == DeletionScope.SelectedCategories ? proposal.CategoryList : null,
            RelatedRequestId = dispute.Id,
            Description = proposal.Text,
        }, now, profile, deadlines.DueAt(profile, now));
        var from = deletion.Verify(Verification.VerificationLabels.Settlement, now);
        db.Requests.Add(deletion);
        await audit.AppendAsync(db, actor.ForAudit, AuditActions.RequestSubmitted, deletion.Id, deletion.SubjectId, new Dictionary<string, string?>
        {
            ["type"] = deletion.Type.ToString(),
            ["channel"] = deletion.Channel.ToString(),
            ["relation"] = deletion.Relation.ToString(),
            ["settles"] = dispute.Id.ToString(),
            ["due"] = Date(deletion.Profile, deletion.DueAt),
        }, cancellationToken);
        await StatusChangedAsync(db, actor, deletion, from, "request-received", cancellationToken: cancellationToken);
        return deletion;
    }

    private string UnresolvedNotice(string explanation, string? culture)
    {
        using var _ = PortalCultures.Use(culture);
        return string.Join("\n\n",
            localizer["Friendly negotiation has not settled this dispute."].Value,
            explanation,
            localizer["Under clause 7 of the privacy policy, either side may now file a lawsuit with the people's court that has jurisdiction. You may also complain to the cyberspace administration (the Cyberspace Administration of China or its local office), which oversees personal information protection (PIPL Art. 60, 61 and 65)."].Value,
            localizer["You can download the dispute record (timeline, messages, proposals and decisions) from the request page for a court or the regulator."].Value);
    }
}

/// <summary>Evidence on a dispute: added by the requester or staff, opened by whoever may see the request.</summary>
internal sealed partial class RequestWorkflow
{
    public Task<WorkflowResult> AddEvidenceAsync(Guid id, string fileName, byte[] content, RequestActor actor, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
        {
            Require(request.Type == RequestType.Dispute, "Evidence can be added to a dispute.");
            Require(!request.IsClosed, "This request is closed; messages can no longer be added.");
            content = Documents.DocumentCheck.Clean(content, out var contentType, out var problem) ?? content;
            Require(problem is null, "A document was refused: upload a PDF, JPEG or PNG file of at most 5 MB for each.");
            Require(await db.RequestAttachments.CountAsync(a => a.RequestId == id, cancellationToken) < RequestAttachment.MaxPerRequest,
                "A dispute can hold at most ten documents.");
            request.RecordMessage(now);
            db.RequestAttachments.Add(new RequestAttachment
            {
                RequestId = id, UploadedBy = actor.UserId, UploadedByRole = actor.Role, FileName = SafeName(fileName, contentType!),
                ContentType = contentType!, Size = content.Length, ProtectedContent = evidence.Protect(content), UploadedAt = now,
            });
            // Type and size only: a file's name can say as much about a person as its content.
            await audit.AppendAsync(db, actor.ForAudit, AuditActions.EvidenceAdded, request.Id, request.SubjectId, new Dictionary<string, string?>
            {
                ["type"] = Documents.DocumentCheck.Label(contentType!),
                ["bytes"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
        }, cancellationToken);

    /// <summary>An attachment for someone who may see its request; each opening is audited.</summary>
    public async Task<(byte[] Content, string ContentType, string FileName)?> OpenEvidenceAsync(Guid id, long attachmentId, RequestActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        var attachment = request is null ? null : await db.RequestAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.RequestId == id, cancellationToken);
        if (request is null || attachment is null || !await CanSeeAsync(actor, request, cancellationToken))
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await audit.AppendAsync(db, actor.ForAudit, AuditActions.EvidenceOpened, request.Id, request.SubjectId, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (evidence.Unprotect(attachment.ProtectedContent), attachment.ContentType, attachment.FileName);
    }

    public byte[] ReadEvidence(RequestAttachment attachment) => evidence.Unprotect(attachment.ProtectedContent);

    private readonly Microsoft.AspNetCore.DataProtection.IDataProtector evidence = protection.CreateProtector("DsrPortal.Requests.Evidence.v1");

    private static string SafeName(string fileName, string contentType)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(fileName ?? "").Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').Take(60).ToArray());
        var extension = contentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
        return (stem.Length == 0 ? "document" : stem) + extension;
    }
}
