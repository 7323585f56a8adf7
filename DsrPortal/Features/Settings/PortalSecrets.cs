using System.Collections.Concurrent;
using System.Security.Cryptography;
using DsrPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Settings;

/// <summary>
/// The portal's own secret keys (pseudonyms, the phone number blind index, one-time codes): generated
/// once, kept in the portal database encrypted with the Data Protection key ring, and shared by every
/// instance. A key configured by the operator wins over the stored one.
/// </summary>
internal sealed class PortalSecrets(IDbContextFactory<ApplicationDbContext> contexts, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, byte[]> keys = new();
    private readonly SemaphoreSlim gate = new(1, 1);

    public async ValueTask<byte[]> KeyAsync(SecretKey secret, CancellationToken cancellationToken)
    {
        var name = secret.Name;
        if (keys.TryGetValue(name, out var key))
        {
            return key;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (keys.TryGetValue(name, out key))
            {
                return key;
            }

            var storedKey = "internal:" + name;
            var protector = protection.CreateProtector(secret.Purpose);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stored = await db.PortalSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == storedKey, cancellationToken);
            if (stored is null)
            {
                var fresh = RandomNumberGenerator.GetBytes(32);
                db.PortalSettings.Add(new PortalSetting { Key = storedKey, Value = protector.Protect(Convert.ToBase64String(fresh)), UpdatedAt = clock.GetUtcNow() });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return keys[name] = fresh;
                }
                catch (DbUpdateException)
                {
                    // Another instance stored its key first: use that one.
                    db.ChangeTracker.Clear();
                    stored = await db.PortalSettings.AsNoTracking().SingleAsync(s => s.Key == storedKey, cancellationToken);
                }
            }

            return keys[name] = Convert.FromBase64String(protector.Unprotect(stored.Value));
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>A named portal key: stored as <c>internal:NAME</c>, encrypted under its own Data Protection purpose.</summary>
internal sealed record SecretKey(string Name, string Purpose)
{
    public static readonly SecretKey Pseudonyms = new("pseudonym-key", "DsrPortal.Pseudonyms");

    /// <summary>The blind index of mobile numbers: finds an account by number without storing the number in clear.</summary>
    public static readonly SecretKey PhoneIndex = new("phone-index-key", "DsrPortal.Secrets.PhoneIndex");

    /// <summary>Keys the hashes of one-time codes, so a copy of the database cannot test the million candidates.</summary>
    public static readonly SecretKey OneTimeCodes = new("one-time-code-key", "DsrPortal.Secrets.OneTimeCodes");
}
