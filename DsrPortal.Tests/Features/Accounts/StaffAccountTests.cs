using System.Net;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Staff;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Accounts;

public sealed class StaffAccountTests(StaffAccountTests.Portal portal) : IClassFixture<StaffAccountTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    private async Task<StaffAccountResult> CreateAsync(string email, string role, string? password = null)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DsrPortal.Features.Staff.StaffAccountService>().CreateAsync(email, role, password, DsrPortal.Features.Audit.AuditActor.System);
    }

    [Fact]
    public async Task A_new_agent_signs_in_with_the_one_time_password_and_must_choose_their_own()
    {
        var created = await CreateAsync("new.agent@demo.local", PortalRoles.Agent);
        Assert.True(created.Succeeded);
        Assert.NotNull(created.OneTimePassword);

        var client = await portal.Factory.SignedInClientAsync("new.agent@demo.local", created.OneTimePassword);
        var queue = await client.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.Equal("/Account/Manage/ChangePassword", queue.RedirectPath());

        var changed = await client.PostFormAsync("/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = created.OneTimePassword,
            ["Input.NewPassword"] = "my own agent passphrase",
            ["Input.ConfirmPassword"] = "my own agent passphrase",
        }, "change-password");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/queue")).StatusCode);
        await using var db = portal.Factory.CreateDbContext();
        Assert.False((await db.Users.SingleAsync(u => u.Email == "new.agent@demo.local")).MustChangePassword);
    }

    [Fact]
    public async Task Staff_roles_only_and_no_duplicates()
    {
        var asSubject = await CreateAsync("someone@demo.local", PortalRoles.Subject);
        var duplicate = await CreateAsync("agent@demo.local", PortalRoles.Agent);
        var badEmail = await CreateAsync("not an email", PortalRoles.Agent);

        Assert.False(asSubject.Succeeded);
        Assert.Contains("The role must be Agent or Supervisor.", asSubject.Errors);
        Assert.False(duplicate.Succeeded);
        Assert.Contains(duplicate.Errors, e => e.Contains("already exists"));
        Assert.False(badEmail.Succeeded);
        await using var db = portal.Factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "someone@demo.local" || u.Email == "not an email"));
    }

    [Fact]
    public async Task A_staff_account_created_with_a_chosen_password_needs_no_change()
    {
        var created = await CreateAsync("chosen@demo.local", PortalRoles.Supervisor, "a supervisor passphrase");

        Assert.True(created.Succeeded);
        Assert.Null(created.OneTimePassword);
        var client = await portal.Factory.SignedInClientAsync("chosen@demo.local", "a supervisor passphrase");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);
    }
}
