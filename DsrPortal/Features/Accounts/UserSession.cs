using System.Security.Claims;
using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Accounts;

public enum SessionKind
{
    /// <summary>A browser, holding the sign-in cookie.</summary>
    Web = 1,
    /// <summary>The mobile app, holding a bearer token.</summary>
    App = 2,
}

/// <summary>
/// One signed-in browser or app, known on the server: its cookie or token carries the id, and it works
/// only while this row says the session is open. Signing out, ending it from Manage account, or a
/// password change closes the row, and the cookie or token is refused at its next use.
/// </summary>
public sealed class UserSession
{
    public const string ClaimType = "dsr:sid";
    public const string GenerationClaimType = "dsr:gen";
    public const int ClientMaxLength = 120;

    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public SessionKind Kind { get; set; }

    /// <summary>The browser or app as it named itself (its user agent, shortened), for the person to recognise it.</summary>
    public string? Client { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>
    /// For an app session: which refresh token is current. Each refresh moves it on and issues the next;
    /// a refresh token of an earlier generation presented again means it was copied, and ends the session.
    /// </summary>
    public int RefreshGeneration { get; set; }

    public static Guid? IdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirst(ClaimType)?.Value, out var id) ? id : null;
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.UserId, s.EndedAt });
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.Client).HasMaxLength(UserSession.ClientMaxLength);
    }
}

/// <summary>Opens, checks, lists and ends the server-side sessions behind cookies and app tokens.</summary>
internal sealed class UserSessions(IDbContextFactory<ApplicationDbContext> contexts, TimeProvider clock)
{
    public async Task<Guid> StartAsync(string userId, SessionKind kind, string? client, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.NewGuid(), UserId = userId, Kind = kind, CreatedAt = now, LastSeenAt = now,
            Client = string.IsNullOrWhiteSpace(client) ? null : new string(client.Where(c => !char.IsControl(c)).Take(UserSession.ClientMaxLength).ToArray()),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>
    /// Keeps the time zone the person's browser reported at sign-in, for what is written for them later away
    /// from any page (the export's cover page). An unknown or malformed zone is ignored.
    /// </summary>
    public async Task RememberTimeZoneAsync(string userId, string? zoneId, CancellationToken cancellationToken = default)
    {
        if (Localization.ReaderTime.Find(zoneId) is null)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId && (u.TimeZone == null || u.TimeZone != zoneId))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, zoneId), cancellationToken);
    }

    /// <summary>Whether the principal's session is open; the last-seen time is refreshed at most once a minute.</summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (UserSession.IdOf(principal) is not { } id || userId is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var seen = await db.UserSessions.AsNoTracking().Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null)
            .Select(s => (DateTimeOffset?)s.LastSeenAt).SingleOrDefaultAsync(cancellationToken);
        if (seen is null)
        {
            return false;
        }

        if (now - seen.Value > TimeSpan.FromMinutes(1))
        {
            await db.UserSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        return true;
    }

    public async Task<IReadOnlyList<UserSession>> OpenAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null)
            .OrderByDescending(s => s.LastSeenAt).Take(100).ToListAsync(cancellationToken);
    }

    public enum RefreshOutcome
    {
        Rotated = 1,
        /// <summary>No such open session: signed out, ended, or never existed.</summary>
        Ended = 2,
        /// <summary>An earlier refresh token came back: it was copied; the session is ended.</summary>
        Reused = 3,
    }

    /// <summary>Moves the session's refresh generation on, if <paramref name="generation"/> is the current one; otherwise says why not.</summary>
    public async Task<RefreshOutcome> RotateAsync(Guid id, string userId, int generation, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rotated = await db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null && s.Kind == SessionKind.App && s.RefreshGeneration == generation)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RefreshGeneration, x => x.RefreshGeneration + 1).SetProperty(x => x.LastSeenAt, clock.GetUtcNow()), cancellationToken);
        if (rotated == 1)
        {
            return RefreshOutcome.Rotated;
        }

        var ended = await db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, clock.GetUtcNow()), cancellationToken);
        return ended == 1 ? RefreshOutcome.Reused : RefreshOutcome.Ended;
    }

    /// <summary>Ends one of the account's sessions; another account's id ends nothing.</summary>
    public async Task<bool> EndAsync(string userId, Guid id, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken) == 1;
    }

    /// <summary>Ends every open session of the account except <paramref name="keep"/>; with <paramref name="kind"/>, only those of that kind.</summary>
    public async Task<int> EndAllAsync(string userId, Guid? keep, SessionKind? kind = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep && (kind == null || s.Kind == kind))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }
}
