using System.Security.Cryptography;
using DsrPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Intake;

/// <summary>
/// The signed link that lets a person without an account follow their request: it names the guest
/// account and its security stamp, is sealed by the key ring, and stops working after
/// <see cref="IntakeOptions.LinkLifetimeDays"/> or as soon as the account's stamp changes (the account
/// was erased). It goes only to the proven address, in every email or text about the request.
/// </summary>
internal sealed class GuestLinks(
    IDataProtectionProvider protection,
    IDbContextFactory<ApplicationDbContext> contexts,
    IOptions<IntakeOptions> options,
    IOptions<Notifications.EmailOptions> email)
{
    private const string Purpose = "DsrPortal.Intake.FollowLink";

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>The absolute link to follow a request (or, without one, all of the guest's requests).</summary>
    public string Link(string userId, string securityStamp, Guid? requestId) =>
        $"{email.Value.PortalUrl.TrimEnd('/')}/follow/{Token(userId, securityStamp, requestId)}";

    public string Token(string userId, string securityStamp, Guid? requestId) =>
        Protector.Protect($"{userId}|{securityStamp}|{requestId?.ToString("N")}", TimeSpan.FromDays(options.Value.LinkLifetimeDays));

    /// <summary>The guest account and request a link names, or null when it is forged, expired or no longer valid.</summary>
    public async Task<(ApplicationUser User, Guid? RequestId)?> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        string payload;
        try
        {
            payload = string.IsNullOrEmpty(token) || token.Length > 2048 ? "" : Protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 3)
        {
            return null;
        }

        Guid? requestId = Guid.TryParseExact(parts[2], "N", out var id) ? id : null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == parts[0] && u.IsGuest, cancellationToken);
        return user is null || user.SecurityStamp != parts[1] || user.LockoutEnd == DateTimeOffset.MaxValue ? null : (user, requestId);
    }
}
