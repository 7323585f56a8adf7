using System.Globalization;
using System.Text.RegularExpressions;
using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Policies;
using DsrPortal.Features.Webhooks;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Preferences;

/// <summary>
/// A use of the person's data and whether it applies to them now; <see cref="RecordedAt"/> is null while they
/// never chose, and then the purpose's default is in force.
/// </summary>
/// <summary>One recorded choice, for a person's own history: the use's name in the reader's language (its code once retired).</summary>
public sealed record PastChoice(string Purpose, string PurposeName, string PurposeNameChinese, ProcessingDecision Decision, ConsentChannel Channel, DateTimeOffset RecordedAt)
{
    public string Name(string culture) => Localization.PortalCultures.Normalize(culture) == Localization.PortalCultures.SimplifiedChinese ? PurposeNameChinese : PurposeName;
}

public sealed record CurrentChoice(ProcessingPurpose Purpose, ProcessingDecision Decision, ConsentChannel? Channel, DateTimeOffset? RecordedAt)
{
    /// <summary>A purpose that needs express consent the person has not answered yet: it does not apply to them.</summary>
    public bool NeedsAnswer => Purpose.Basis == PurposeBasis.ExpressConsent && RecordedAt is null;
}

/// <summary>One change in the feed the company's back-end services read: the cursor is the choice's id.</summary>
/// <summary>What a supervisor enters to add a purpose.</summary>
public sealed record PurposeDraft(
    string? Key, PurposeBasis Basis, string? Recipient, string? NameEnglish, string? NameChinese, string? DescriptionEnglish, string? DescriptionChinese);

/// <summary>How many people have each purpose applying to them, refused, or (express consent) not answered yet.</summary>
public sealed record PurposeFigures(string Purpose, int Allowed, int Refused);

/// <summary>
/// The uses of people's data and their choices about each. A change takes effect at once: it is recorded with
/// time and channel, audited (codes only), and offered to the company's systems by webhook in the same
/// transaction; back-end services can also read the change feed.
/// </summary>
internal sealed partial class ProcessingChoices(IDbContextFactory<ApplicationDbContext> contexts, AuditWriter audit, WebhookOutbox webhooks, TimeProvider clock)
{
    /// <summary>The purposes in force, in their order on My data.</summary>
    public async Task<IReadOnlyList<ProcessingPurpose>> PurposesAsync(bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ProcessingPurposes.AsNoTracking()
            .Where(p => includeRetired || p.RetiredAt == null)
            .OrderBy(p => p.Position).ThenBy(p => p.Key)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CurrentChoice>> CurrentAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CurrentAsync(db, userId, cancellationToken);
    }

    private static async Task<IReadOnlyList<CurrentChoice>> CurrentAsync(ApplicationDbContext db, string userId, CancellationToken cancellationToken)
    {
        var purposes = await db.ProcessingPurposes.AsNoTracking().Where(p => p.RetiredAt == null)
            .OrderBy(p => p.Position).ThenBy(p => p.Key).ToListAsync(cancellationToken);
        var latest = await db.ProcessingChoices.AsNoTracking()
            .Where(c => c.UserId == userId && c.Id == db.ProcessingChoices.Where(o => o.UserId == userId && o.Purpose == c.Purpose).Max(o => o.Id))
            .ToListAsync(cancellationToken);
        return [.. purposes.Select(p => latest.FirstOrDefault(c => c.Purpose == p.Key) is { } c
            ? new CurrentChoice(p, c.Decision, c.Channel, c.RecordedAt)
            : new CurrentChoice(p, p.Default, null, null))];
    }

    /// <summary>
    /// Records the choice; null when no purpose in force has that key. Choosing what is already in force
    /// records nothing and tells nobody.
    /// </summary>
    /// <summary>A person's choices as they were made, newest first, at most <paramref name="limit"/> (the export holds them all).</summary>
    public async Task<IReadOnlyList<PastChoice>> HistoryAsync(string userId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from c in db.ProcessingChoices.AsNoTracking()
                      where c.UserId == userId
                      join p in db.ProcessingPurposes.AsNoTracking() on c.Purpose equals p.Key into named
                      from p in named.DefaultIfEmpty()
                      orderby c.Id descending
                      select new PastChoice(c.Purpose, p == null ? c.Purpose : p.NameEnglish, p == null ? c.Purpose : p.NameChinese, c.Decision, c.Channel, c.RecordedAt))
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    public async Task<CurrentChoice?> SetAsync(
        string userId, string purpose, ProcessingDecision decision, ConsentChannel channel, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var chosen = await RecordAsync(db, userId, purpose, decision, channel, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return chosen;
    }

    /// <summary>
    /// Adds the choice, its audit event and its webhooks to the caller's unit of work (the caller saves), so an
    /// answer to a notice and the consent it gives are recorded together or not at all.
    /// </summary>
    public async Task<CurrentChoice?> RecordAsync(
        ApplicationDbContext db, string userId, string purpose, ProcessingDecision decision, ConsentChannel channel, AuditActor actor, CancellationToken cancellationToken)
    {
        var current = (await CurrentAsync(db, userId, cancellationToken)).FirstOrDefault(c => string.Equals(c.Purpose.Key, purpose, StringComparison.OrdinalIgnoreCase));
        if (current is null || (current.Decision == decision && current.RecordedAt is not null))
        {
            return current;
        }

        var choice = new ProcessingChoice { UserId = userId, Purpose = current.Purpose.Key, Decision = decision, Channel = channel, RecordedAt = clock.GetUtcNow() };
        db.ProcessingChoices.Add(choice);
        var codes = new Dictionary<string, string>
        {
            ["purpose"] = current.Purpose.Key,
            ["decision"] = decision.ToString(),
            ["channel"] = channel.ToString(),
        };
        await audit.AppendAsync(db, actor, AuditActions.PreferenceChanged, subjectId: userId,
            details: codes.ToDictionary(c => c.Key, c => (string?)c.Value), cancellationToken: cancellationToken);
        webhooks.Enqueue(db, WebhookEvents.PreferenceChanged, userId, codes);
        return current with { Decision = decision, Channel = channel, RecordedAt = choice.RecordedAt };
    }

    /// <summary>
    /// Adds a purpose; returns what is wrong with the draft instead (a key of the shared resource table). Sharing
    /// with a named recipient always needs express consent, whatever the draft says.
    /// </summary>
    public async Task<string?> AddPurposeAsync(PurposeDraft draft, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        var key = draft.Key?.Trim() ?? "";
        if (!KeyPattern().IsMatch(key))
        {
            return Refuse("Give a code of 3 to 32 letters and digits starting with a capital letter, such as PartnerSharing.");
        }

        if (new[] { draft.NameEnglish, draft.NameChinese }.Any(n => string.IsNullOrWhiteSpace(n) || n.Trim().Length > ProcessingPurpose.NameMaxLength))
        {
            return Refuse("Give the purpose's name in English and in Chinese, at most 120 characters each.");
        }

        if (new[] { draft.DescriptionEnglish, draft.DescriptionChinese }.Any(d => string.IsNullOrWhiteSpace(d) || d.Trim().Length > ProcessingPurpose.DescriptionMaxLength))
        {
            return Refuse("Say in English and in Chinese what the data is used for and what refusing means, at most 1000 characters each.");
        }

        var recipient = string.IsNullOrWhiteSpace(draft.Recipient) ? null : draft.Recipient.Trim();
        if (recipient?.Length > ProcessingPurpose.NameMaxLength)
        {
            return Refuse("The recipient's name is too long (at most 120 characters).");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ProcessingPurposes.AnyAsync(p => p.Key.ToLower() == key.ToLower(), cancellationToken))
        {
            return Refuse("A purpose with this code exists already; codes are never reused, since people's choices refer to them.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var basis = recipient is null ? draft.Basis : PurposeBasis.ExpressConsent;
        db.ProcessingPurposes.Add(new ProcessingPurpose
        {
            Key = key,
            Basis = basis,
            Recipient = recipient,
            NameEnglish = draft.NameEnglish!.Trim(),
            NameChinese = draft.NameChinese!.Trim(),
            DescriptionEnglish = draft.DescriptionEnglish!.Trim(),
            DescriptionChinese = draft.DescriptionChinese!.Trim(),
            Position = (await db.ProcessingPurposes.MaxAsync(p => (int?)p.Position, cancellationToken) ?? 0) + 1,
            CreatedAt = clock.GetUtcNow(),
        });
        await audit.AppendAsync(db, supervisor, AuditActions.PurposeAdded, details: new Dictionary<string, string?>
        {
            ["purpose"] = key,
            ["basis"] = basis.ToString(),
            ["sharing"] = recipient is null ? "false" : "true",
        }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>Stops pursuing a purpose: it leaves My data and the API; its history stays.</summary>
    public async Task<bool> RetireAsync(string key, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var retired = await db.ProcessingPurposes.Where(p => p.Key == key && p.RetiredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.RetiredAt, clock.GetUtcNow()), cancellationToken);
        if (retired == 0)
        {
            return false;
        }

        await audit.AppendAsync(db, supervisor, AuditActions.PurposeRetired, details: new Dictionary<string, string?> { ["purpose"] = key }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Per purpose, how many people's latest choice allows or refuses it (people who never chose are not counted).</summary>
    public async Task<IReadOnlyList<PurposeFigures>> FiguresAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ProcessingChoices.AsNoTracking()
            .Where(c => c.Id == db.ProcessingChoices.Where(o => o.UserId == c.UserId && o.Purpose == c.Purpose).Max(o => o.Id))
            .GroupBy(c => new { c.Purpose, c.Decision })
            .Select(g => new { g.Key.Purpose, g.Key.Decision, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.Purpose).Select(g => new PurposeFigures(g.Key,
            g.Where(r => r.Decision == ProcessingDecision.Allowed).Sum(r => r.Count),
            g.Where(r => r.Decision == ProcessingDecision.Refused).Sum(r => r.Count)))];
    }

    public static string Format(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{2,31}$")]
    private static partial Regex KeyPattern();
}
