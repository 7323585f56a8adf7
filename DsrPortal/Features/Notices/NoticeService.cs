using System.Text;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Policies;
using DsrPortal.Features.Preferences;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Notices;

/// <summary>The four things PIPL Art. 57 says a breach notice tells people, each in both languages.</summary>
public sealed record BreachParts(
    string? WhatHappenedEnglish, string? WhatHappenedChinese,
    string? DataConcernedEnglish, string? DataConcernedChinese,
    string? WhatWeDidEnglish, string? WhatWeDidChinese,
    string? WhatYouCanDoEnglish, string? WhatYouCanDoChinese);

/// <summary>What a supervisor writes and picks to send a notice.</summary>
public sealed record NoticeDraft(
    NoticeKind Kind, string? TitleEnglish, string? TitleChinese, string? BodyEnglish, string? BodyChinese,
    NoticeAudience Audience, string? Category = null, string? List = null, string? PurposeKey = null, BreachParts? Breach = null);

/// <summary>A sent notice, or why it was not sent (a key of the shared resource table) and with what value.</summary>
public sealed record NoticeSendResult(Notice? Notice, string? Problem = null, string? Detail = null, int Unmatched = 0);

/// <summary>A notice as one person sees it.</summary>
public sealed record ReceivedNotice(Notice Notice, NoticeRecipient Receipt);

/// <summary>What became of one notice: how many it went to, were told by email or text, read it and answered.</summary>
public sealed record NoticeFigures(Notice Notice, int Recipients, int Delivered, int Queued, int NotDelivered, int Read, int Agreed, int Declined);

public enum AnswerOutcome
{
    Recorded = 1,
    NotFound = 2,
    NoAnswerAsked = 3,
}

/// <summary>
/// Notices the company must give people (a policy change, a new purpose needing consent, a merger, a breach, the
/// end of the service): to everyone or a chosen set, by email or text and in the portal and app, with delivery,
/// reading and answers tracked per person. A notice and every recipient's message are written in one
/// transaction: it reaches all of them or none.
/// </summary>
internal sealed class NoticeService(
    IDbContextFactory<ApplicationDbContext> contexts,
    Outbox outbox,
    AuditWriter audit,
    ProcessingChoices choices,
    NoticeAudiences audiences,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock)
{
    public const string Template = "notice";
    private const int Batch = 1000;

    /// <param name="alongside">Saved in the same transaction as the notice (the end-of-service program it announces).</param>
    public async Task<NoticeSendResult> SendAsync(
        NoticeDraft draft, AuditActor supervisor, CancellationToken cancellationToken = default, Func<ApplicationDbContext, Notice, Task>? alongside = null)
    {
        var (bodyEnglish, bodyChinese, problem) = Compose(draft);
        if (problem is not null)
        {
            return new(null, problem);
        }

        if (new[] { draft.TitleEnglish, draft.TitleChinese }.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > Notice.TitleMaxLength))
        {
            return new(null, Refuse("Give the notice a title in English and in Chinese, at most 200 characters each."));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string? purposeKey = null;
        if (draft.Kind == NoticeKind.NewPurpose)
        {
            var purpose = await db.ProcessingPurposes.AsNoTracking()
                .SingleOrDefaultAsync(p => p.Key == draft.PurposeKey && p.RetiredAt == null, cancellationToken);
            if (purpose is not { Basis: PurposeBasis.ExpressConsent })
            {
                return new(null, Refuse("Choose the purpose the notice asks consent for: one in force that needs express consent."));
            }

            purposeKey = purpose.Key;
        }

        var (recipients, unmatched, audienceProblem, detail) = await audiences.ResolveAsync(db, draft, cancellationToken);
        if (audienceProblem is not null)
        {
            return new(null, audienceProblem, detail);
        }

        if (recipients.Count == 0)
        {
            return new(null, Refuse("Nobody is in the chosen group: the notice was not sent."));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var notice = new Notice
        {
            Kind = draft.Kind,
            TitleEnglish = draft.TitleEnglish!.Trim(),
            TitleChinese = draft.TitleChinese!.Trim(),
            BodyEnglish = bodyEnglish!,
            BodyChinese = bodyChinese!,
            PurposeKey = purposeKey,
            NeedsAnswer = purposeKey is not null,
            Audience = draft.Audience,
            AudienceCategory = draft.Audience == NoticeAudience.HoldingCategory ? draft.Category : null,
            RecipientCount = recipients.Count,
            SentBy = supervisor.Id,
            SentAt = clock.GetUtcNow(),
        };
        db.Notices.Add(notice);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var chunk in recipients.Chunk(Batch))
        {
            foreach (var userId in chunk)
            {
                db.NoticeRecipients.Add(new NoticeRecipient { NoticeId = notice.Id, UserId = userId });
                outbox.Enqueue(db, Template, userId, null, new Dictionary<string, string>(), noticeId: notice.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        await audit.AppendAsync(db, supervisor, AuditActions.NoticeSent, details: new Dictionary<string, string?>
        {
            ["notice"] = notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["kind"] = notice.Kind.ToString(),
            ["audience"] = notice.Audience.ToString(),
            ["category"] = notice.AudienceCategory,
            ["purpose"] = purposeKey,
            ["recipients"] = recipients.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken: cancellationToken);
        if (alongside is not null)
        {
            await alongside(db, notice);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(notice, Unmatched: unmatched);
    }

    /// <summary>
    /// Adds a person to a notice already sent (someone who opened an account after it went, when it concerns
    /// everyone), in the caller's unit of work: the recipient row, the email, and one more in its recipient count.
    /// </summary>
    public async Task AddRecipientAsync(ApplicationDbContext db, long noticeId, string userId, CancellationToken cancellationToken = default)
    {
        db.NoticeRecipients.Add(new NoticeRecipient { NoticeId = noticeId, UserId = userId });
        outbox.Enqueue(db, Template, userId, null, new Dictionary<string, string>(), noticeId: noticeId);
        await db.Notices.Where(n => n.Id == noticeId).ExecuteUpdateAsync(s => s.SetProperty(n => n.RecipientCount, n => n.RecipientCount + 1), cancellationToken);
    }

    /// <summary>The notices sent, newest first, with what became of each.</summary>
    public async Task<IReadOnlyList<NoticeFigures>> SentAsync(int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var notices = await db.Notices.AsNoTracking().OrderByDescending(n => n.Id).Take(take).ToListAsync(cancellationToken);
        var ids = notices.Select(n => n.Id).ToList();
        var people = await db.NoticeRecipients.AsNoTracking().Where(r => ids.Contains(r.NoticeId))
            .GroupBy(r => r.NoticeId)
            .Select(g => new
            {
                Id = g.Key,
                Delivered = g.Count(r => r.DeliveredAt != null),
                Read = g.Count(r => r.ReadAt != null),
                Agreed = g.Count(r => r.Answer == NoticeAnswer.Agreed),
                Declined = g.Count(r => r.Answer == NoticeAnswer.Declined),
            })
            .ToDictionaryAsync(g => g.Id, cancellationToken);
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.NoticeId != null && ids.Contains(m.NoticeId.Value) && m.Status != OutboxStatus.Sent)
            .GroupBy(m => new { m.NoticeId, m.Status })
            .Select(g => new { g.Key.NoticeId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. notices.Select(n =>
        {
            var p = people.GetValueOrDefault(n.Id);
            return new NoticeFigures(n, n.RecipientCount, p?.Delivered ?? 0,
                messages.Where(m => m.NoticeId == n.Id && m.Status == OutboxStatus.Pending).Sum(m => m.Count),
                messages.Where(m => m.NoticeId == n.Id && m.Status == OutboxStatus.Failed).Sum(m => m.Count),
                p?.Read ?? 0, p?.Agreed ?? 0, p?.Declined ?? 0);
        })];
    }

    /// <summary>The person's notices, newest first.</summary>
    public async Task<IReadOnlyList<ReceivedNotice>> InboxAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from r in db.NoticeRecipients.AsNoTracking()
                      join n in db.Notices.AsNoTracking() on r.NoticeId equals n.Id
                      where r.UserId == userId
                      orderby n.Id descending
                      select new ReceivedNotice(n, r)).Take(100).ToListAsync(cancellationToken);
    }

    /// <summary>One of the person's notices; null when it is not theirs.</summary>
    public async Task<ReceivedNotice?> FindAsync(string userId, long noticeId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from r in db.NoticeRecipients.AsNoTracking()
                      join n in db.Notices.AsNoTracking() on r.NoticeId equals n.Id
                      where r.UserId == userId && r.NoticeId == noticeId
                      select new ReceivedNotice(n, r)).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The oldest notice still waiting for the person's answer, unless they put it off in this sign-in session:
    /// it is asked again at the next one.
    /// </summary>
    public async Task<ReceivedNotice?> AwaitingAnswerAsync(string userId, Guid? session, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from r in db.NoticeRecipients.AsNoTracking()
                      join n in db.Notices.AsNoTracking() on r.NoticeId equals n.Id
                      where r.UserId == userId && n.NeedsAnswer && r.Answer == null && (session == null || r.DeferredInSession != session)
                      orderby n.Id
                      select new ReceivedNotice(n, r)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Notes that the person opened the notice (the first time counts); false when it is not theirs.</summary>
    public async Task<bool> MarkReadAsync(string userId, long noticeId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.NoticeRecipients.AnyAsync(r => r.UserId == userId && r.NoticeId == noticeId, cancellationToken))
        {
            return false;
        }

        await db.NoticeRecipients.Where(r => r.UserId == userId && r.NoticeId == noticeId && r.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReadAt, clock.GetUtcNow()), cancellationToken);
        return true;
    }

    /// <summary>"Later": not asked again in this sign-in session.</summary>
    public async Task DeferAsync(string userId, long noticeId, Guid session, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.NoticeRecipients.Where(r => r.UserId == userId && r.NoticeId == noticeId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DeferredInSession, session), cancellationToken);
    }

    /// <summary>
    /// Records Agree or Decline, and with it the consent the notice asked for, in one transaction. Answering again
    /// changes the answer (consent can be withdrawn as freely as it was given).
    /// </summary>
    public async Task<AnswerOutcome> AnswerAsync(
        string userId, long noticeId, NoticeAnswer answer, ConsentChannel channel, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await (from r in db.NoticeRecipients
                           join n in db.Notices on r.NoticeId equals n.Id
                           where r.UserId == userId && r.NoticeId == noticeId
                           select new { Receipt = r, n.NeedsAnswer, n.PurposeKey }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return AnswerOutcome.NotFound;
        }

        if (!found.NeedsAnswer)
        {
            return AnswerOutcome.NoAnswerAsked;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        found.Receipt.ReadAt ??= now;
        if (found.Receipt.Answer != answer)
        {
            found.Receipt.Answer = answer;
            found.Receipt.AnsweredAt = now;
            found.Receipt.AnswerChannel = channel;
            await audit.AppendAsync(db, actor, AuditActions.NoticeAnswered, subjectId: userId, details: new Dictionary<string, string?>
            {
                ["notice"] = noticeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["answer"] = answer.ToString(),
                ["channel"] = channel.ToString(),
            }, cancellationToken: cancellationToken);
        }

        if (found.PurposeKey is { } purpose)
        {
            await choices.RecordAsync(db, userId, purpose, answer == NoticeAnswer.Agreed ? ProcessingDecision.Allowed : ProcessingDecision.Refused,
                channel, actor, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AnswerOutcome.Recorded;
    }

    /// <summary>The body in each language; a breach notice is built from the four parts the law asks for, under their headings.</summary>
    private (string? English, string? Chinese, string? Problem) Compose(NoticeDraft draft)
    {
        if (draft.Kind == NoticeKind.Breach)
        {
            var b = draft.Breach;
            string?[] parts = b is null ? [] :
                [b.WhatHappenedEnglish, b.WhatHappenedChinese, b.DataConcernedEnglish, b.DataConcernedChinese,
                 b.WhatWeDidEnglish, b.WhatWeDidChinese, b.WhatYouCanDoEnglish, b.WhatYouCanDoChinese];
            if (parts.Length == 0 || parts.Any(string.IsNullOrWhiteSpace))
            {
                return (null, null, Refuse("A breach notice must say, in English and in Chinese, what happened, what data is concerned, what the company has done and what people can do (PIPL Art. 57)."));
            }

            return (Breach(PortalCultures.English, parts.Where((_, i) => i % 2 == 0)), Breach(PortalCultures.SimplifiedChinese, parts.Where((_, i) => i % 2 == 1)), LengthProblem());

            string? LengthProblem() => parts.Sum(p => p!.Length) > Notice.BodyMaxLength ? Refuse("The notice is too long (at most 8000 characters in each language).") : null;
        }

        if (new[] { draft.BodyEnglish, draft.BodyChinese }.Any(t => string.IsNullOrWhiteSpace(t)))
        {
            return (null, null, Refuse("Write the notice in English and in Chinese."));
        }

        return new[] { draft.BodyEnglish, draft.BodyChinese }.Any(t => t!.Trim().Length > Notice.BodyMaxLength)
            ? (null, null, Refuse("The notice is too long (at most 8000 characters in each language)."))
            : (draft.BodyEnglish!.Trim(), draft.BodyChinese!.Trim(), null);
    }

    private string Breach(string culture, IEnumerable<string?> parts)
    {
        using var _ = PortalCultures.Use(culture);
        string[] headings = [localizer["What happened"], localizer["What data is concerned"], localizer["What we have done"], localizer["What you can do"]];
        var text = new StringBuilder();
        foreach (var (heading, part) in headings.Zip(parts))
        {
            text.Append(heading).Append('\n').Append(part!.Trim()).Append("\n\n");
        }

        return text.ToString().TrimEnd();
    }
}
