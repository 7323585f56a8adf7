using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Disputes;

/// <summary>
/// A closed dispute's record for a court or the regulator: one HTML page in a ZIP with what it was
/// about, the timeline from the audit trail, the messages, every proposal with its answer, and the
/// outcome. For the requester (or their guardian) and staff; every download is audited.
/// </summary>
internal sealed class DisputeRecord(
    IDbContextFactory<ApplicationDbContext> contexts,
    RequestAccess access,
    RequestUnitOfWork work,
    DisputeEvidence evidence,
    DeadlineCalculator deadlines,
    IStringLocalizer<SharedResource> localizer)
{
    public async Task<(byte[] Zip, string FileName)?> BuildAsync(Guid id, RequestActor caller, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await access.FindAsync(db, id, caller, RequestAccessRule.PartyOrStaff, cancellationToken);
        if (request is null || request.Type != RequestType.Dispute || !request.IsClosed)
        {
            return null;
        }

        var related = request.RelatedRequestId is { } relatedId
            ? await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == relatedId, cancellationToken)
            : null;
        var messages = await db.RequestMessages.AsNoTracking().Where(m => m.RequestId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var proposals = await db.DisputeProposals.AsNoTracking().Where(p => p.RequestId == id).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var attachments = await db.RequestAttachments.AsNoTracking().Where(a => a.RequestId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.RequestId == id).OrderBy(e => e.Sequence)
            .Select(e => new { e.OccurredAt, e.Action, e.ActorRole, e.Details }).ToListAsync(cancellationToken);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await work.AuditAsync(db, caller, AuditActions.DisputeRecordDownloaded, request, cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var h = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        string T(string key, params object[] arguments) => h.Encode(localizer[key, arguments]);
        string When(DateTimeOffset instant) => h.Encode(deadlines.Local(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{PortalCultures.Current}}"><head><meta charset="utf-8"><title>{{T("Dispute record {0}", request.Reference)}}</title>
            <style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;max-width:60rem;color:#1f2933}
            table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #cbd2d9;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#f0f4f8}.pre{white-space:pre-wrap}</style></head><body>
            <h1>{{T("Dispute record {0}", request.Reference)}}</h1>
            <table>
            <tr><th>{{T("What the dispute is about")}}</th><td>{{T(RequestLabels.Dispute(request.DisputeSubject ?? DisputeSubject.OtherPractice))}}{{(related is null ? "" : $" — {h.Encode(related.Reference)} ({T(RequestLabels.Type(related.Type))}, {T(RequestLabels.Status(related.Status))})")}}</td></tr>
            <tr><th>{{T("What the requester wants")}}</th><td class="pre">{{h.Encode(request.Description ?? "")}}</td></tr>
            <tr><th>{{T("Received")}}</th><td>{{When(request.ReceivedAt)}}</td></tr>
            <tr><th>{{T("Due")}}</th><td>{{When(request.DueAt)}}</td></tr>
            <tr><th>{{T("Closed")}}</th><td>{{(request.ClosedAt is { } closed ? When(closed) : "")}}</td></tr>
            <tr><th>{{T("Outcome")}}</th><td>{{(request.Outcome is { } outcome ? T(RequestLabels.Outcome(outcome)) : T(RequestLabels.Status(request.Status)))}}</td></tr>
            <tr><th>{{T("Settlement or notice")}}</th><td class="pre">{{h.Encode(request.OutcomeNote ?? "")}}</td></tr>
            </table>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h2>{T("Proposals")}</h2><table><tr><th>{T("When")}</th><th>{T("Proposal")}</th><th>{T("Answer")}</th></tr>");
        foreach (var proposal in proposals)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{When(proposal.ProposedAt)}</td><td class=\"pre\">{h.Encode(proposal.Text)}</td><td>{T(RequestLabels.Proposal(proposal.Status))}{(proposal.AnsweredAt is { } answered ? $" ({When(answered)})" : "")}{(proposal.Answer is null ? "" : $"<br><span class=\"pre\">{h.Encode(proposal.Answer)}</span>")}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><h2>{T("Messages")}</h2><table><tr><th>{T("When")}</th><th>{T("From")}</th><th>{T("Message")}</th></tr>");
        foreach (var message in messages)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{When(message.SentAt)}</td><td>{T(message.AuthorRole)}</td><td class=\"pre\">{h.Encode(message.Body)}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><h2>{T("Documents")}</h2><ul>");
        foreach (var (attachment, index) in attachments.Select((a, i) => (a, i + 1)))
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"documents/{index}-{h.Encode(attachment.FileName)}\">{h.Encode(attachment.FileName)}</a> ({T(attachment.UploadedByRole)}, {When(attachment.UploadedAt)})</li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ul><h2>{T("Timeline")}</h2><table><tr><th>{T("When")}</th><th>{T("Who")}</th><th>{T("What happened")}</th></tr>");
        foreach (var e in events)
        {
            var details = JsonSerializer.Deserialize<Dictionary<string, string?>>(e.Details) ?? [];
            var what = e.Action == AuditActions.RequestStatusChanged && details.TryGetValue("to", out var to) && Enum.TryParse<RequestStatus>(to, out var status)
                ? T("Status: {0}", localizer[RequestLabels.Status(status)])
                : h.Encode(e.Action);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{When(e.OccurredAt)}</td><td>{T(e.ActorRole)}</td><td>{what}</td></tr>");
        }

        html.Append("</table></body></html>");
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var entry = zip.CreateEntry("record.html").Open())
            {
                await entry.WriteAsync(Encoding.UTF8.GetBytes(html.ToString()), cancellationToken);
            }

            foreach (var (attachment, index) in attachments.Select((a, i) => (a, i + 1)))
            {
                await using var entry = zip.CreateEntry($"documents/{index}-{attachment.FileName}").Open();
                await entry.WriteAsync(evidence.Read(attachment), cancellationToken);
            }
        }

        return (buffer.ToArray(), $"{request.Reference}-dispute-record.zip");
    }
}
