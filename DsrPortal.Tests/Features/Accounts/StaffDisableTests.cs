using System.Net;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Staff;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>A disabled agent loses access within minutes, on a clock the test moves.</summary>
public sealed class StaffDisableTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory factory;
    private AuditActor supervisor = null!;

    public StaffDisableTests() => factory = new PortalFactory(clock: clock);

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        supervisor = (await factory.ActorAsync("supervisor@demo.local")).ForAudit;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<StaffAccountResult> SetDisabledAsync(string email, bool disabled, AuditActor? by = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var id = (await factory.ActorAsync(email)).UserId;
        return await scope.ServiceProvider.GetRequiredService<DsrPortal.Features.Staff.StaffAccountService>().SetDisabledAsync(id, disabled, by ?? supervisor);
    }

    [Fact]
    public async Task A_disabled_agent_is_signed_out_within_minutes_and_cannot_sign_in_again_until_enabled()
    {
        var agent = await factory.SignedInClientAsync("agent@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/queue")).StatusCode);

        Assert.True((await SetDisabledAsync("agent@demo.local", disabled: true)).Succeeded);
        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.StartsWith("/Account/Login", (await agent.GetAsync("/queue")).RedirectPath());
        var again = await factory.CreateBrowserLikeClient().PostFormAsync("/Account/Login", PortalForms.Login("agent@demo.local", PortalForms.DemoPassword), "login");
        Assert.Contains("this account has been disabled", (await again.ParseAsync()).QuerySelector("[data-testid=status-message]")!.TextContent);

        Assert.True((await SetDisabledAsync("agent@demo.local", disabled: false)).Succeeded);
        await factory.SignedInClientAsync("agent@demo.local");
        await using var db = factory.CreateDbContext();
        Assert.Equal([AuditActions.StaffDisabled, AuditActions.StaffEnabled],
            await db.AuditEvents.Where(e => e.Action.StartsWith("staff.")).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task A_supervisor_cannot_disable_themselves_and_subjects_are_not_managed_here()
    {
        var self = await SetDisabledAsync("supervisor@demo.local", disabled: true);
        var subject = await SetDisabledAsync("subject@demo.local", disabled: true);

        Assert.Contains("You cannot disable your own account.", self.Errors);
        Assert.Contains("Only staff accounts are managed here.", subject.Errors);
        await factory.SignedInClientAsync("subject@demo.local");
    }
}
