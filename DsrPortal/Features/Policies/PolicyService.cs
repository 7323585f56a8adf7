using DsrPortal.Data;
using DsrPortal.Features.Branding;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Policies;

internal sealed class PolicyService(TimeProvider clock, IOptions<BrandingOptions> branding)
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

    /// <summary>The policy text in the requested language, falling back to English where no translation is shipped.</summary>
    public async Task<string?> ReadTextAsync(PolicyVersion version, string culture, CancellationToken cancellationToken = default)
    {
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
