using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Features.Requests.RequestRuleException;
using static DsrPortal.Features.Requests.RequestUnitOfWork;

namespace DsrPortal.Features.Disputes;

/// <summary>Evidence on a dispute: added by the requester or staff, opened by whoever may see the request; encrypted at rest.</summary>
internal sealed class DisputeEvidence(RequestUnitOfWork work, RequestAccess access, IDataProtectionProvider protection)
{
    private readonly IDataProtector evidence = protection.CreateProtector("DsrPortal.Requests.Evidence.v1");

    public Task<WorkflowResult> AddAsync(Guid id, string fileName, byte[] content, RequestActor actor, CancellationToken cancellationToken = default) =>
        work.ActAsync(id, actor, expectedVersion: null, async (db, request, now) =>
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
            await work.AuditAsync(db, actor, AuditActions.EvidenceAdded, request, new Dictionary<string, string?>
            {
                ["type"] = Documents.DocumentCheck.Label(contentType!),
                ["bytes"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
        }, cancellationToken);

    /// <summary>An attachment for someone who may see its request; each opening is audited.</summary>
    public async Task<(byte[] Content, string ContentType, string FileName)?> OpenAsync(Guid id, long attachmentId, RequestActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await work.CreateDbContextAsync(cancellationToken);
        var request = await access.FindAsync(db, id, actor, RequestAccessRule.PartyOrStaff, cancellationToken);
        var attachment = request is null ? null
            : await db.RequestAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.RequestId == id, cancellationToken);
        if (request is null || attachment is null)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await work.AuditAsync(db, actor, AuditActions.EvidenceOpened, request, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (evidence.Unprotect(attachment.ProtectedContent), attachment.ContentType, attachment.FileName);
    }

    /// <summary>The plain content, for the dispute record.</summary>
    public byte[] Read(RequestAttachment attachment) => evidence.Unprotect(attachment.ProtectedContent);

    private static string SafeName(string fileName, string contentType)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(fileName ?? "").Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').Take(60).ToArray());
        var extension = contentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
        return (stem.Length == 0 ? "document" : stem) + extension;
    }
}
