using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Policies;
using DsrPortal.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Preferences;

/// <summary>A use of the person's data and whether they allow it now; <see cref="RecordedAt"/> is null while they never chose.</summary>
public sealed record CurrentChoice(ProcessingPurpose Purpose, ProcessingDecision Decision, ConsentChannel? Channel, DateTimeOffset? RecordedAt);

/// <summary>One change in the feed the company's back-end services read: the cursor is the choice's id.</summary>
public sealed record ChoiceChange(long Cursor, string UserId, ProcessingPurpose Purpose, ProcessingDecision Decision, ConsentChannel Channel, DateTimeOffset RecordedAt);

/// <summary>
/// People's choices about the uses of their data they can refuse themselves. A change takes effect at once: it
/// is recorded with time and channel, audited (codes only), and offered to the company's systems by webhook in
/// the same transaction; back-end services can also read the change feed.
/// </summary>
internal sealed class ProcessingChoices(IDbContextFactory<ApplicationDbContext> contexts, AuditWriter audit, WebhookOutbox webhooks, TimeProvider clock)
{
    public static readonly IReadOnlyList<ProcessingPurpose> Purposes = Enum.GetValues<ProcessingPurpose>();

    public async Task<IReadOnlyList<CurrentChoice>> CurrentAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var latest = await db.ProcessingChoices.AsNoTracking()
            .Where(c => c.UserId == userId && c.Id == db.ProcessingChoices.Where(o => o.UserId == userId && o.Purpose == c.Purpose).Max(o => o.Id))
            .ToListAsync(cancellationToken);
        return [.. Purposes.Select(p => latest.FirstOrDefault(c => c.Purpose == p) is { } c
            ? new CurrentChoice(p, c.Decision, c.Channel, c.RecordedAt)
            : new CurrentChoice(p, ProcessingDecision.Allowed, null, null))];
    }

    /// <summary>Records the choice; choosing what is already in force records nothing and tells nobody.</summary>
    public async Task<CurrentChoice> SetAsync(
        string userId, ProcessingPurpose purpose, ProcessingDecision decision, ConsentChannel channel, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var current = (await CurrentAsync(userId, cancellationToken)).Single(c => c.Purpose == purpose);
        if (current.Decision == decision && current.RecordedAt is not null)
        {
            return current;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var choice = new ProcessingChoice { UserId = userId, Purpose = purpose, Decision = decision, Channel = channel, RecordedAt = clock.GetUtcNow() };
        db.ProcessingChoices.Add(choice);
        var codes = new Dictionary<string, string>
        {
            ["purpose"] = purpose.ToString(),
            ["decision"] = decision.ToString(),
            ["channel"] = channel.ToString(),
        };
        await audit.AppendAsync(db, actor, AuditActions.PreferenceChanged, subjectId: userId,
            details: codes.ToDictionary(c => c.Key, c => (string?)c.Value), cancellationToken: cancellationToken);
        webhooks.Enqueue(db, WebhookEvents.PreferenceChanged, userId, codes);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CurrentChoice(purpose, decision, channel, choice.RecordedAt);
    }

    /// <summary>Every choice after <paramref name="after"/>, oldest first: what a back-end service has not seen yet.</summary>
    public async Task<IReadOnlyList<ChoiceChange>> ChangesAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ProcessingChoices.AsNoTracking()
            .Where(c => c.Id > after)
            .OrderBy(c => c.Id)
            .Take(limit)
            .Select(c => new ChoiceChange(c.Id, c.UserId, c.Purpose, c.Decision, c.Channel, c.RecordedAt))
            .ToListAsync(cancellationToken);
    }

    public static string Format(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);
}
