using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Notices;
using DsrPortal.Features.ServiceEnd;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.ServiceEnd;

/// <summary>
/// The end of the service on the demo databases: announced, rehearsed by a dry run, then run to the end through
/// a crash, leaving nothing of anyone but what the law keeps, and a report that matches the rehearsal.
/// </summary>
public sealed class ServiceEndTests : IAsyncLifetime
{
    private static readonly string[] EmptiedTables =
        ["users", "dynamics", "photos", "comments", "likes", "search_records", "reading_records", "interaction_records"];

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
    private readonly CrashingSources crash = new();
    private readonly PortalFactory factory;

    public ServiceEndTests() =>
        // Every source wrapped, so the test can make a database fail in the middle of the program.
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Outbox:WorkerEnabled"] = "false",
            // One try per deletion: the one that crashes fails at once and waits for the supervisor's retry.
            ["Fulfilment:MaxAttempts"] = "1",
        }, clock, crash.WrapSources);

    public Task InitializeAsync()
    {
        _ = factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ServiceEndService ServiceEnd => factory.Services.GetRequiredService<ServiceEndService>();

    [Fact]
    public async Task A_dry_run_counts_then_the_real_run_erases_everyone_resumes_after_a_crash_and_reports_what_the_dry_run_said()
    {
        var supervisorActor = await factory.ActorAsync("supervisor@demo.local");
        var supervisor = supervisorActor.ForAudit;
        var serviceUsers = factory.ServiceScalar("SELECT COUNT(*) FROM users");
        var retained = factory.ServiceScalar("SELECT COUNT(*) FROM sharing_records");
        Assert.NotEmpty(Directory.GetFiles(factory.MediaFolder));

        // The rehearsal counts and changes nothing.
        var dryRun = await ServiceEnd.DryRunAsync();
        Assert.Equal(3, dryRun.Accounts);
        Assert.Equal(Convert.ToInt32(serviceUsers) - 3, dryRun.PeopleWithoutAccount);
        Assert.True(dryRun.Rows["Photos"]["DeleteRows"] > 0);
        Assert.Equal(serviceUsers, factory.ServiceScalar("SELECT COUNT(*) FROM users"));

        // Announced: everyone with an account is told the date; staff are not.
        Assert.Equal("Choose a date in the future: people must be told before their data is erased.", await ServiceEnd.AnnounceAsync(clock.GetUtcNow().AddDays(-1), supervisor));
        Assert.Null(await ServiceEnd.AnnounceAsync(clock.GetUtcNow().AddDays(30), supervisor));
        Assert.NotNull(await ServiceEnd.AnnounceAsync(clock.GetUtcNow().AddDays(40), supervisor));
        await using (var db = factory.CreateDbContext())
        {
            var notice = await db.Notices.SingleAsync(n => n.Kind == NoticeKind.EndOfService);
            Assert.Equal(3, notice.RecipientCount);
            Assert.Contains("(Asia/Shanghai)", notice.TitleEnglish);
            Assert.Contains("服务", notice.BodyChinese);
        }

        // Before the date nothing moves.
        var runner = factory.Services.GetRequiredService<ServiceEndRunner>();
        Assert.False(await runner.RunOnceAsync());
        Assert.Equal(serviceUsers, factory.ServiceScalar("SELECT COUNT(*) FROM users"));

        // After it, the program runs batch by batch beside the fulfilment worker; the service database fails
        // once in the middle of the sweep, and the next round resumes from the saved cursor.
        clock.Advance(TimeSpan.FromDays(31));
        var fulfilment = factory.Services.GetRequiredService<FulfilmentRunner>();
        var crashed = false;
        ServiceEndProgress? failedSeen = null;
        // The first account's deletion crashes, fails, and holds the program until a supervisor retries it.
        crash.AfterErasure = crash.Erased + 1;
        for (var round = 0; round < 200 && (await ServiceEnd.CurrentAsync())!.State != ServiceEndState.Finished; round++)
        {
            var state = (await ServiceEnd.CurrentAsync())!.State;
            if (failedSeen is null && await ServiceEnd.ProgressAsync() is { Failed: > 0 } failing)
            {
                failedSeen = failing;
                Assert.Equal(1, await ServiceEnd.RetryFailedAsync(supervisorActor));
            }

            if (state == ServiceEndState.Sweeping && !crashed)
            {
                crash.AfterErasure = crash.Erased + 5;
                crashed = true;
            }

            await runner.RunOnceAsync();
            await fulfilment.RunDueAsync();
            clock.Advance(TimeSpan.FromMinutes(3));
        }

        // The supervisor saw which deletion failed, why (the error's type, nothing personal) and how far the program was.
        Assert.NotNull(failedSeen);
        var failed = Assert.Single(failedSeen.FailedDeletions);
        Assert.Matches(@"^DSR-\d{4}-\d{6}$", failed.Reference);
        Assert.Equal((1, "IOException"), (failed.Attempts, failed.Error));
        Assert.InRange(failedSeen.PercentDone, 1, 100);
        Assert.Equal(3, failedSeen.Program.Enrolled);

        var program = (await ServiceEnd.CurrentAsync())!;
        Assert.True(crashed && crash.Crashed, "The crash was never set off.");
        Assert.Equal(ServiceEndState.Finished, program.State);

        // Nothing of anyone is left but what the law keeps.
        foreach (var table in EmptiedTables)
        {
            Assert.Equal(0L, Convert.ToInt64(factory.ServiceScalar($"SELECT COUNT(*) FROM {table}")));
        }

        Assert.Equal(0L, Convert.ToInt64(factory.ServiceScalar("SELECT COUNT(*) FROM devices WHERE model IS NOT NULL OR os IS NOT NULL OR network IS NOT NULL")));
        Assert.Equal(retained, factory.ServiceScalar("SELECT COUNT(*) FROM sharing_records"));
        Assert.Empty(Directory.GetFiles(factory.MediaFolder, "*", SearchOption.AllDirectories));
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(0, await SubjectAccounts.Active(db).CountAsync());
            Assert.True(await db.Users.AnyAsync(u => u.Email == "supervisor@demo.local"));
            // The audit trail stays, and says it all with codes only.
            var events = await db.AuditEvents.Where(e => e.Action.StartsWith("service-end.")).Select(e => e.Details).ToListAsync();
            Assert.DoesNotContain(events, d => d.Contains("138000000") || d.Contains("@demo.local"));
            Assert.Contains(await db.AuditEvents.Select(e => e.Action).ToListAsync(), a => a == AuditActions.ServiceEndFinished);
        }

        // The report says what the rehearsal said, with nothing counted twice across the crash.
        var report = ServiceEndService.ReadReport(program)!;
        Assert.Equal((3, 0, dryRun.PeopleWithoutAccount), (report.AccountsErased, report.AccountsFailed, report.PeopleWithoutAccountErased));
        foreach (var category in new[] { "Profile", "Photos", "Comments", "Devices", "SharingRecords" })
        {
            Assert.Equal(dryRun.Rows[category], report.Rows[category]);
        }

        await using var verify = factory.CreateDbContext();
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(verify)).Intact);
    }

    [Fact]
    public async Task A_person_who_opens_an_account_after_the_announcement_is_told_and_after_the_date_nobody_can()
    {
        var supervisor = (await factory.ActorAsync("supervisor@demo.local")).ForAudit;
        Assert.Null(await ServiceEnd.AnnounceAsync(clock.GetUtcNow().AddDays(30), supervisor));

        async Task<RegistrationResult> RegisterAsync(string email, string phone)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SubjectRegistrationService>().RegisterAsync(new SubjectRegistration(
                email, PortalForms.DemoPassword, phone, "late", Gender.Unspecified, null, new DateOnly(1990, 1, 1), "zh-CN",
                DsrPortal.Features.Policies.ConsentChannel.Web));
        }

        // Before the date: the account opens, and its owner is sent the same notice as everyone, and counted.
        var late = await RegisterAsync("late@example.com", "13900000077");
        Assert.True(late.Succeeded, string.Join(", ", late.Errors.Select(e => e.Description)));
        await using (var db = factory.CreateDbContext())
        {
            var notice = await db.Notices.SingleAsync(n => n.Kind == NoticeKind.EndOfService);
            Assert.Equal(4, notice.RecipientCount);
            Assert.True(await db.NoticeRecipients.AnyAsync(r => r.NoticeId == notice.Id && r.UserId == late.User!.Id));
            Assert.True(await db.OutboxMessages.AnyAsync(m => m.NoticeId == notice.Id && m.RecipientUserId == late.User!.Id));
        }

        // From the date on, nobody opens an account: the program would not erase it.
        clock.Advance(TimeSpan.FromDays(31));
        var tooLate = await RegisterAsync("too-late@example.com", "13900000078");
        Assert.False(tooLate.Succeeded);
        Assert.Equal("The service has ended: new accounts are no longer opened.", Assert.Single(tooLate.Errors).Description);
        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.Users.AnyAsync(u => u.Email == "too-late@example.com"));
        }
    }
}
