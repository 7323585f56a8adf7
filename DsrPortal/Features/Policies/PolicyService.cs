using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Branding;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Policies;

public sealed record PolicyDraft(string Version, string TextEnglish, string TextChinese, string SummaryEnglish, string SummaryChinese, DateTimeOffset EffectiveFrom);

/// <summary>
/// Policy versions and each user's agreement to them (clause 5 of the demo policy: a change applies to
/// a user only after they click Agree). Rights never depend on agreement: nothing here gates a request.
/// </summary>
internal sealed class PolicyService(TimeProvider clock, IOptions<BrandingOptions> branding, AuditWriter audit, Webhooks.WebhookOutbox webhooks)
{
    public async Task<PolicyVersion> GetCurrentAsync(ApplicationDbContext db, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // Few rows: ordering in memory keeps this identical on SQLite and PostgreSQL.
        var versions = await db.PolicyVersions.AsNoTracking().ToListAsync(cancellationToken);
        return versions.Where(v => v.EffectiveFrom <= now).MaxBy(v => v.EffectiveFrom)
            ?? throw new InvalidOperationException("No privacy policy version is in effect. Run the migrations.");
    }

    public void RecordAgreement(ApplicationDbContext db, string userId, PolicyVersion version, ConsentChannel channel) =>
        db.ConsentRecords.Add(new ConsentRecord
        {
            UserId = userId,
            PolicyVersionId = version.Id,
            Decision = ConsentDecision.Agreed,
            Channel = channel,
            RecordedAt = clock.GetUtcNow(),
        });

    /// <summary>The version in effect when the user's latest decision is not an agreement to it; otherwise null.</summary>
    public async Task<PolicyVersion?> PendingAgreementAsync(ApplicationDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        var current = await GetCurrentAsync(db, cancellationToken);
        var latest = (await db.ConsentRecords.AsNoTracking().Where(c => c.UserId == userId).ToListAsync(cancellationToken))
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Id).FirstOrDefault();
        return latest is { Decision: ConsentDecision.Agreed } && latest.PolicyVersionId == current.Id ? null : current;
    }

    public async Task AgreeAsync(ApplicationDbContext db, string userId, string role, ConsentChannel channel, CancellationToken cancellationToken = default)
    {
        var current = await GetCurrentAsync(db, cancellationToken);
        RecordAgreement(db, userId, current, channel);
        await audit.AppendAsync(db, new AuditActor(userId, role), AuditActions.ConsentAgreed, subjectId: userId,
            details: new Dictionary<string, string?> { ["policyVersion"] = current.Version, ["channel"] = channel.ToString() }, cancellationToken: cancellationToken);
        // Agreeing again after a withdrawal lets the company's systems resume: they hear of it too.
        webhooks.Enqueue(db, Webhooks.WebhookEvents.PolicyAgreed, userId,
            new Dictionary<string, string> { ["policyVersion"] = current.Version, ["channel"] = channel.ToString() });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Withdrawing agreement is recorded like agreeing; requests and rights are unaffected.</summary>
    public async Task WithdrawAsync(ApplicationDbContext db, string userId, string role, ConsentChannel channel, CancellationToken cancellationToken = default)
    {
        var current = await GetCurrentAsync(db, cancellationToken);
        db.ConsentRecords.Add(new ConsentRecord
        {
            UserId = userId, PolicyVersionId = current.Id, Decision = ConsentDecision.Withdrawn, Channel = channel, RecordedAt = clock.GetUtcNow(),
        });
        await audit.AppendAsync(db, new AuditActor(userId, role), AuditActions.ConsentWithdrawn, subjectId: userId,
            details: new Dictionary<string, string?> { ["policyVersion"] = current.Version, ["channel"] = channel.ToString() }, cancellationToken: cancellationToken);
        // The company's systems hear of it in the same unit of work: recorded and told, or neither.
        webhooks.Enqueue(db, Webhooks.WebhookEvents.PolicyWithdrawn, userId,
            new Dictionary<string, string> { ["policyVersion"] = current.Version, ["channel"] = channel.ToString() });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <returns>Null when published, else the reason (a localization key) it was refused.</returns>
    public async Task<string?> PublishAsync(ApplicationDbContext db, PolicyDraft draft, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        var version = draft.Version.Trim();
        if (version.Length is 0 or > 32)
        {
            return Refuse("Give the version a name of at most 32 characters, such as 2.");
        }

        if (string.IsNullOrWhiteSpace(draft.TextEnglish) || string.IsNullOrWhiteSpace(draft.TextChinese))
        {
            return Refuse("The policy text is needed in both English and Chinese.");
        }

        if (string.IsNullOrWhiteSpace(draft.SummaryEnglish) || string.IsNullOrWhiteSpace(draft.SummaryChinese))
        {
            return Refuse("Summarise the changes in both languages: every user reads the summary before agreeing.");
        }

        if (draft.SummaryEnglish.Length > PolicyLimits.SummaryMaxLength || draft.SummaryChinese.Length > PolicyLimits.SummaryMaxLength
            || draft.TextEnglish.Length > PolicyLimits.TextMaxLength || draft.TextChinese.Length > PolicyLimits.TextMaxLength)
        {
            return Refuse("The text is too long.");
        }

        var current = await GetCurrentAsync(db, cancellationToken);
        if (draft.EffectiveFrom < clock.GetUtcNow().AddMinutes(-5) || draft.EffectiveFrom <= current.EffectiveFrom)
        {
            return Refuse("The effective date must be now or later, and after the version in effect.");
        }

        if (await db.PolicyVersions.AnyAsync(p => p.Version == version, cancellationToken))
        {
            return Refuse("A policy version with this name already exists.");
        }

        db.PolicyVersions.Add(new PolicyVersion
        {
            Version = version,
            TextEnglish = draft.TextEnglish.Trim(),
            TextChinese = draft.TextChinese.Trim(),
            SummaryEnglish = draft.SummaryEnglish.Trim(),
            SummaryChinese = draft.SummaryChinese.Trim(),
            EffectiveFrom = draft.EffectiveFrom.ToUniversalTime(),
            PublishedBy = supervisor.Id,
            PublishedAt = clock.GetUtcNow(),
        });
        await audit.AppendAsync(db, supervisor, AuditActions.PolicyPublished,
            details: new Dictionary<string, string?> { ["policyVersion"] = version, ["effectiveFrom"] = draft.EffectiveFrom.ToUniversalTime().ToString("O") },
            cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }


    public static string? Summary(PolicyVersion version, string culture) =>
        PortalCultures.Normalize(culture) == PortalCultures.SimplifiedChinese ? version.SummaryChinese : version.SummaryEnglish;

    /// <summary>The policy text in the requested language, falling back to English where no translation exists.</summary>
    public async Task<string?> ReadTextAsync(PolicyVersion version, string culture, CancellationToken cancellationToken = default)
    {
        if (version.TextEnglish is not null)
        {
            return PortalCultures.Normalize(culture) == PortalCultures.SimplifiedChinese ? version.TextChinese ?? version.TextEnglish : version.TextEnglish;
        }

        var folder = Path.Combine(branding.Value.ResolvedAssetsPath, "policies");
        foreach (var candidate in new[] { PortalCultures.Normalize(culture), PortalCultures.English }.Distinct())
        {
            var path = Path.Combine(folder, $"{version.DocumentName}.{candidate}.txt");
            if (File.Exists(path))
            {
                return await File.ReadAllTextAsync(path, cancellationToken);
            }
        }

        return null;
    }
}
