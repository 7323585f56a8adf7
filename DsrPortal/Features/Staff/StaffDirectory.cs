using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Staff;

/// <summary>A customer-service account: an agent or a supervisor.</summary>
internal sealed class StaffMember
{
    public required string Id { get; init; }

    public required string Email { get; init; }

    public required string Role { get; init; }

    public DateTimeOffset? LockoutEnd { get; init; }
}

/// <summary>The one query for who works the queue: the staff page lists it, reassignment picks from it.</summary>
internal static class StaffDirectory
{
    public static IQueryable<StaffMember> Members(ApplicationDbContext db) =>
        from userRole in db.UserRoles
        join role in db.Roles on userRole.RoleId equals role.Id
        join user in db.Users on userRole.UserId equals user.Id
        where role.Name == PortalRoles.Agent || role.Name == PortalRoles.Supervisor
        orderby user.Email
        select new StaffMember { Id = user.Id, Email = user.Email ?? "", Role = role.Name!, LockoutEnd = user.LockoutEnd };

    public static Task<bool> IsStaffAsync(ApplicationDbContext db, string userId, CancellationToken cancellationToken) =>
        Members(db).AnyAsync(m => m.Id == userId, cancellationToken);
}
