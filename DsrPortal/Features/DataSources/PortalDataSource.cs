using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.DataSources;

/// <summary>
/// The portal's own data about a subject: the account profile, policy agreements, and the requests
/// and their messages. Erasing it anonymises the account; the request records and the audit trail stay,
/// keyed only by the now meaningless account id, for the retention period.
/// </summary>
internal sealed class PortalDataSource(IDbContextFactory<ApplicationDbContext> contexts, PhoneNumberProtector phones) : IPersonalDataSource
{
    public const string SourceName = "portal";
    public const string Account = "PortalAccount";
    public const string Consents = "Consents";
    public const string Choices = "ProcessingChoices";
    public const string AfterDeath = "AfterDeath";
    public const string RelativeClaims = "RelativeClaims";
    public const string Requests = "Requests";
    public const string Messages = "RequestMessages";
    public const string NicknameField = Account + ".nickname";

    public static readonly IReadOnlyList<string> CategoryCodes = [Account, Consents, Choices, AfterDeath, RelativeClaims, Requests, Messages];

    public string Name => SourceName;

    public IReadOnlyList<string> Categories => CategoryCodes;

    public IReadOnlyList<CorrectableField> CorrectableFields { get; } = [new(NicknameField, SourceName, Account, "nickname")];

    public async Task<IReadOnlyDictionary<string, long>> CountAsync(SubjectKeys subject, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var requests = db.Requests.Where(r => r.SubjectId == subject.UserId);
        return new Dictionary<string, long>
        {
            [Account] = await db.Users.CountAsync(u => u.Id == subject.UserId, cancellationToken),
            [Consents] = await db.ConsentRecords.CountAsync(c => c.UserId == subject.UserId, cancellationToken),
            [Choices] = await db.ProcessingChoices.CountAsync(c => c.UserId == subject.UserId, cancellationToken),
            [AfterDeath] = await db.LegacyArrangements.CountAsync(a => a.UserId == subject.UserId, cancellationToken),
            [RelativeClaims] = await db.RelativeClaims.CountAsync(c => c.RelativeId == subject.UserId, cancellationToken),
            [Requests] = await requests.CountAsync(cancellationToken),
            [Messages] = await db.RequestMessages.CountAsync(m => requests.Any(r => r.Id == m.RequestId), cancellationToken),
        };
    }

    public async Task ReadAsync(SubjectKeys subject, string category, IRecordSink sink, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        switch (category)
        {
            case Account:
                await sink.BeginAsync(["email", "mobile_phone", "nickname", "gender", "constellation", "date_of_birth", "preferred_language", "registered_at", "time_zone"]);
                var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == subject.UserId, cancellationToken);
                if (user is not null)
                {
                    await sink.WriteAsync([user.Email, phones.Unprotect(user.ProtectedPhoneNumber), user.Nickname, user.Gender.ToString(),
                        user.Constellation?.ToString(), user.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), user.PreferredCulture, user.CreatedAt, user.TimeZone], null);
                }

                break;
            case Consents:
                await sink.BeginAsync(["policy_version", "policy_effective_from", "decision", "channel", "recorded_at", "summary_of_changes_en", "summary_of_changes_zh"]);
                await foreach (var c in db.ConsentRecords.AsNoTracking().Where(c => c.UserId == subject.UserId).OrderBy(c => c.Id)
                    .Select(c => new { c.PolicyVersion!.Version, c.PolicyVersion.EffectiveFrom, c.Decision, c.Channel, c.RecordedAt, c.PolicyVersion.SummaryEnglish, c.PolicyVersion.SummaryChinese })
                    .AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await sink.WriteAsync([c.Version, c.EffectiveFrom, c.Decision.ToString(), c.Channel.ToString(), c.RecordedAt, c.SummaryEnglish, c.SummaryChinese], null);
                }

                break;
            case Choices:
                await sink.BeginAsync(["use", "decision", "channel", "recorded_at"]);
                await foreach (var c in db.ProcessingChoices.AsNoTracking().Where(c => c.UserId == subject.UserId).OrderBy(c => c.Id)
                    .AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await sink.WriteAsync([c.Purpose.ToString(), c.Decision.ToString(), c.Channel.ToString(), c.RecordedAt], null);
                }

                break;
            case AfterDeath:
                await sink.BeginAsync(["choice", "named_person", "named_person_contact", "recorded_at"]);
                await foreach (var a in db.LegacyArrangements.AsNoTracking().Where(a => a.UserId == subject.UserId).OrderBy(a => a.Id)
                    .AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await sink.WriteAsync([a.Choice.ToString(), a.PersonName, a.PersonContact, a.RecordedAt], null);
                }

                break;
            case RelativeClaims:
                // What the person asked as a relative of someone who died, in their own words; never the documents.
                await sink.BeginAsync(["received_at", "kinship", "asked", "interest", "correction_field", "correction_value", "status", "decided_at", "refusal_reason"]);
                await foreach (var c in db.RelativeClaims.AsNoTracking().Where(c => c.RelativeId == subject.UserId).OrderBy(c => c.ReceivedAt)
                    .AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await sink.WriteAsync([c.ReceivedAt, c.Kinship.ToString(), c.Asked.ToString(), c.Interest, c.CorrectionField, c.CorrectionValue,
                        c.Status.ToString(), c.DecidedAt, c.RefusalReason], null);
                }

                break;
            case Requests:
                await sink.BeginAsync(["reference", "type", "status", "channel", "relation", "received_at", "due_at", "closed_at", "deletion_scope", "categories",
                    "description", "correction_field", "correction_current_value", "correction_proposed_value", "refusal_reason", "refusal_explanation", "outcome_note"]);
                await foreach (var r in db.Requests.AsNoTracking().Where(r => r.SubjectId == subject.UserId).OrderBy(r => r.Number)
                    .AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await sink.WriteAsync([r.Reference, r.Type.ToString(), r.Status.ToString(), r.Channel.ToString(), r.Relation.ToString(), r.ReceivedAt, r.DueAt, r.ClosedAt,
                        r.DeletionScope?.ToString(), r.Categories, r.Description, r.CorrectionField, r.CorrectionCurrentValue, r.CorrectionProposedValue,
                        r.RefusalReason?.ToString(), r.RefusalExplanation, r.OutcomeNote], null);
                }

                break;
            case Messages:
                await sink.BeginAsync(["request_reference", "sent_at", "from", "kind", "text"]);
                var rows = from m in db.RequestMessages.AsNoTracking()
                           join r in db.Requests on m.RequestId equals r.Id
                           where r.SubjectId == subject.UserId
                           orderby r.Number, m.Id
                           select new { r.ReceivedAt, r.Number, m.SentAt, m.AuthorRole, m.Kind, m.Body };
                await foreach (var m in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await sink.WriteAsync([DataSubjectRequest.FormatReference(m.ReceivedAt, m.Number), m.SentAt, m.AuthorRole, m.Kind.ToString(), m.Body], null);
                }

                break;
            default:
                throw new ArgumentException($"The portal holds no category {category}.", nameof(category));
        }
    }

    /// <summary>Only a whole-account erasure touches the portal: its last step anonymises the account.</summary>
    public async Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys subject, IReadOnlySet<string>? categories, CancellationToken cancellationToken)
    {
        if (categories is not null)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var exists = await db.Users.AnyAsync(u => u.Id == subject.UserId, cancellationToken);
        return exists
            ? [new ErasureStep(SourceName, Account, "account", ErasureAction.Pseudonymise,
                ["email", "mobile_phone", "nickname", "gender", "constellation", "date_of_birth", "password"], subject.UserId, 1, null)]
            : [];
    }

    /// <summary>
    /// Anonymises the account: no email, phone, profile or password remains, the security stamp changes
    /// (open sessions end at their next check) and sign-in is locked for good. Running it twice changes nothing more.
    /// </summary>
    public async Task<long> EraseAsync(ErasureStep step, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == step.Key, cancellationToken);
        if (user is null || user.UserName == AnonymousName(user.Id))
        {
            return 0;
        }

        var anonymous = AnonymousName(user.Id);
        user.UserName = user.Email = anonymous;
        user.NormalizedUserName = user.NormalizedEmail = anonymous.ToUpperInvariant();
        user.EmailConfirmed = false;
        user.ProtectedPhoneNumber = null;
        user.PhoneNumberIndex = null;
        user.PhoneNumberConfirmed = false;
        user.PhoneNumber = null;
        user.Nickname = "";
        user.Gender = Gender.Unspecified;
        user.Constellation = null;
        user.DateOfBirth = null;
        user.TimeZone = null;
        user.PasswordHash = null;
        user.TwoFactorEnabled = false;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        await db.UserTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserClaims.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        // What the person arranged for after their death names someone else: it goes with the account.
        await db.LegacyArrangements.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        // Claims the person made as a relative keep their codes (what was decided, and when), not their words or papers.
        var claims = db.RelativeClaims.Where(c => c.RelativeId == user.Id);
        await db.RelativeDocuments.Where(d => claims.Any(c => c.Id == d.ClaimId)).ExecuteDeleteAsync(cancellationToken);
        await claims.ExecuteUpdateAsync(u => u.SetProperty(c => c.Interest, "").SetProperty(c => c.CorrectionValue, (string?)null), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return 1;
    }

    public async Task<string?> ReadFieldAsync(SubjectKeys subject, string field, CancellationToken cancellationToken)
    {
        RequireNickname(field);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == subject.UserId).Select(u => u.Nickname).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<bool> CorrectAsync(SubjectKeys subject, string field, string value, CancellationToken cancellationToken)
    {
        RequireNickname(field);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == subject.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Nickname, value), cancellationToken) > 0;
    }

    public static string AnonymousName(string userId) => $"deleted-{userId}@invalid";

    private static void RequireNickname(string field)
    {
        if (field != NicknameField)
        {
            throw new ArgumentException($"{field} is not a correctable field of the portal.", nameof(field));
        }
    }
}
