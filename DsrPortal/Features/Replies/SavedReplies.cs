using System.Globalization;
using System.Text.RegularExpressions;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Replies;

/// <summary>What a supervisor enters to keep a reply; <see cref="Id"/> is null for a new one.</summary>
public sealed record SavedReplyDraft(int? Id, string? Title, string? Culture, string? Body);

/// <summary>
/// Saved replies: supervisors keep them per language; agents insert one into a request's message box, its
/// placeholders filled from that request, and edit it before sending.
/// </summary>
internal sealed partial class SavedReplies(
    IDbContextFactory<ApplicationDbContext> contexts,
    AuditWriter audit,
    DeadlineCalculator deadlines,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock)
{
    /// <summary>The placeholders a reply may use, each filled from the request it is inserted into.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["Reference", "RequestType", "DueDate", "RequesterName"];

    public async Task<IReadOnlyList<SavedReply>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SavedReplies.AsNoTracking().OrderBy(r => r.Culture).ThenBy(r => r.Title).ToListAsync(cancellationToken);
    }

    /// <summary>Adds or changes a reply; returns what is wrong with it instead (a key of the shared table, with its arguments).</summary>
    public async Task<(string Key, object[] Arguments)?> SaveAsync(SavedReplyDraft draft, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        var title = draft.Title?.Trim() ?? "";
        var body = draft.Body?.Trim() ?? "";
        if (title.Length is 0 or > SavedReply.TitleMaxLength || !PortalText.IsClean([title]))
        {
            return (Refuse("Give the reply a title of at most 100 characters."), []);
        }

        if (draft.Culture is not (PortalCultures.English or PortalCultures.SimplifiedChinese))
        {
            return (Refuse("Choose the language the reply is written in."), []);
        }

        if (body.Length is 0 or > RequestMessage.BodyMaxLength || !PortalText.IsClean([body]))
        {
            return (Refuse("Write the reply (at most 4000 characters)."), []);
        }

        if (Placeholder().Matches(body).Select(m => m.Groups[1].Value).FirstOrDefault(p => !Placeholders.Contains(p)) is { } unknown)
        {
            return (Refuse("{0} is not a placeholder the portal can fill: use one of {1}."),
                ["{{" + unknown + "}}", string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))]);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reply = draft.Id is { } id ? await db.SavedReplies.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) : null;
        if (draft.Id is not null && reply is null)
        {
            return (Refuse("This saved reply no longer exists."), []);
        }

        if (reply is null)
        {
            reply = new SavedReply { Title = title, Culture = draft.Culture, Body = body, UpdatedBy = supervisor.Id };
            db.SavedReplies.Add(reply);
        }

        reply.Title = title;
        reply.Culture = draft.Culture;
        reply.Body = body;
        reply.UpdatedBy = supervisor.Id;
        reply.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, supervisor, AuditActions.SavedReplySaved, details: new Dictionary<string, string?>
        {
            ["reply"] = reply.Id.ToString(CultureInfo.InvariantCulture),
            ["culture"] = reply.Culture,
        }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task<bool> DeleteAsync(int id, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.SavedReplies.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        await audit.AppendAsync(db, supervisor, AuditActions.SavedReplyDeleted,
            details: new Dictionary<string, string?> { ["reply"] = id.ToString(CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The reply's text with its placeholders filled from the request, in the reply's own language.</summary>
    public string Fill(SavedReply reply, DataSubjectRequest request, string? requesterName)
    {
        string Type()
        {
            using var _ = PortalCultures.Use(reply.Culture);
            return localizer[RequestLabels.Type(request.Type)].Value;
        }

        var values = new Dictionary<string, string>
        {
            ["Reference"] = request.Reference,
            ["RequestType"] = Type(),
            ["DueDate"] = TimeZoneInfo.ConvertTime(request.DueAt, deadlines.ZoneOf(request.Profile)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["RequesterName"] = requesterName ?? "",
        };
        return Placeholder().Replace(reply.Body, m => values.GetValueOrDefault(m.Groups[1].Value, m.Value));
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
