using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Infrastructure;

public static class PortalUsers
{
    public static async Task<RequestActor> ActorAsync(this PortalFactory factory, string email)
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        var role = roles.Contains(PortalRoles.Supervisor) ? PortalRoles.Supervisor : roles.Contains(PortalRoles.Agent) ? PortalRoles.Agent : PortalRoles.Subject;
        return new RequestActor(user.Id, role);
    }

    public static NewRequest Export(this RequestActor subject, RequestChannel channel = RequestChannel.Web) =>
        new() { Type = RequestType.Export, SubjectId = subject.UserId, RequesterId = subject.UserId, Channel = channel };
}
