using DsrPortal.Data;

namespace DsrPortal.Features.Accounts;

/// <summary>The people the portal serves, as a query: never staff, and only accounts that still reach someone.</summary>
internal static class SubjectAccounts
{
    /// <summary>
    /// Accounts with a password, or guests (no account, one proven identifier) whose identifier is proven; an
    /// anonymised account has neither and is left out.
    /// </summary>
    public static IQueryable<ApplicationUser> Active(ApplicationDbContext db)
    {
        var staff = db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == PortalRoles.Agent || r.Name == PortalRoles.Supervisor)))
            .Select(ur => ur.UserId);
        return db.Users.Where(u => (u.PasswordHash != null || (u.IsGuest && (u.EmailConfirmed || u.PhoneNumberConfirmed))) && !staff.Contains(u.Id));
    }
}
