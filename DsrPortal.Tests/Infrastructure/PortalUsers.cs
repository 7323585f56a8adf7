using DsrPortal.Data;
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

    /// <summary>
    /// A person of the test's own (email proven, the policy in force agreed), so what the test does to them
    /// shows on no other test's pages.
    /// </summary>
    public static async Task<ApplicationUser> CreateSubjectAsync(this PortalFactory factory, string email, string password = PortalForms.DemoPassword)
    {
        var user = await CreateUserAsync(factory, email, password, "Tester", PortalRoles.Subject);
        await using var scope = factory.Services.CreateAsyncScope();
        var policies = scope.ServiceProvider.GetRequiredService<DsrPortal.Features.Policies.PolicyService>();
        await using var db = factory.CreateDbContext();
        policies.RecordAgreement(db, user.Id, await policies.GetCurrentAsync(db), DsrPortal.Features.Policies.ConsentChannel.Web);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A staff member of the test's own, so the requests assigned to them are the test's alone.</summary>
    public static async Task<RequestActor> CreateStaffAsync(this PortalFactory factory, string email, string role = PortalRoles.Agent)
    {
        var user = await CreateUserAsync(factory, email, PortalForms.DemoPassword, "Staff", role);
        return new RequestActor(user.Id, role);
    }

    /// <summary>An account with its email proven, in one role.</summary>
    private static async Task<ApplicationUser> CreateUserAsync(PortalFactory factory, string email, string password, string nickname, string role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            UserName = email, Email = email, EmailConfirmed = true, Nickname = nickname, PreferredCulture = "en",
            CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true,
        };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    public static NewRequest Export(this RequestActor subject, RequestChannel channel = RequestChannel.Web) =>
        new() { Type = RequestType.Export, SubjectId = subject.UserId, RequesterId = subject.UserId, Channel = channel };
}
