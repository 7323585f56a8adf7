using System.Security.Cryptography;
using System.Text;
using DsrPortal.Data;
using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Features.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.DataSources;

/// <summary>
/// Keyed hashes that replace identifying values which must stay linkable (retained records). Without
/// the key a pseudonym cannot be traced back by hashing candidate phone numbers. The key comes from
/// <c>DataSources:PseudonymKey</c>, or is generated once and kept encrypted in the portal database.
/// </summary>
internal sealed class Pseudonymizer(
    IOptions<DataSourcesOptions> options,
    IDbContextFactory<ApplicationDbContext> contexts,
    IDataProtectionProvider protection)
{
    private const string StoredKey = "internal:pseudonym-key";
    private readonly SemaphoreSlim gate = new(1, 1);
    private byte[]? key;

    public async Task<string> ForAsync(string value, CancellationToken cancellationToken)
    {
        var hash = HMACSHA256.HashData(await KeyAsync(cancellationToken), Encoding.UTF8.GetBytes(value));
        return "psn-" + Convert.ToHexStringLower(hash, 0, 16);
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            return key;
        }

        if (options.Value.PseudonymKey is { Length: > 0 } configured)
        {
            return key = Encoding.UTF8.GetBytes(configured);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var protector = protection.CreateProtector("DsrPortal.Pseudonyms");
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stored = await db.PortalSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == StoredKey, cancellationToken);
            if (stored is null)
            {
                var fresh = RandomNumberGenerator.GetBytes(32);
                db.PortalSettings.Add(new PortalSetting { Key = StoredKey, Value = protector.Protect(Convert.ToBase64String(fresh)), UpdatedAt = DateTimeOffset.UtcNow });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return key = fresh;
                }
                catch (DbUpdateException)
                {
                    // Another instance stored its key first: use that one.
                    db.ChangeTracker.Clear();
                    stored = await db.PortalSettings.AsNoTracking().SingleAsync(s => s.Key == StoredKey, cancellationToken);
                }
            }

            return key = Convert.FromBase64String(protector.Unprotect(stored.Value));
        }
        finally
        {
            gate.Release();
        }
    }
}
