using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Features.Settings;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Settings;

/// <summary>A supervisor's settings apply to the next request at once, without a restart, and are audited.</summary>
public sealed class SettingsTests : IAsyncLifetime
{
    // Monday 2 November 2026, 10:00 in Shanghai: due Monday 23 November under CN.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private RequestActor subject = null!;
    private AuditActor supervisor = null!;

    public SettingsTests() => factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        supervisor = (await factory.ActorAsync("supervisor@demo.local")).ForAudit;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<DataSubjectRequest> SubmitAsync() =>
        (await factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "session")).Request!;

    private DateOnly LocalDue(DataSubjectRequest request) => factory.Services.GetRequiredService<DeadlineCalculator>().LocalDate(request.DueAt);

    [Fact]
    public async Task A_new_holiday_moves_the_next_requests_due_date_and_is_audited()
    {
        Assert.Equal(new DateOnly(2026, 11, 23), LocalDue(await SubmitAsync()));

        await factory.Services.GetRequiredService<SettingsStore>().SaveAsync(new Dictionary<string, string>
        {
            ["Deadlines:Holidays"] = "2026-11-10,2026-11-11",
        }, supervisor);

        Assert.Equal(new DateOnly(2026, 11, 25), LocalDue(await SubmitAsync()));
        await using var db = factory.CreateDbContext();
        var change = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.SettingsChanged);
        Assert.Equal(supervisor.Id, change.ActorId);
        Assert.Contains("2026-11-10,2026-11-11", change.Details);
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task Switching_the_default_profile_applies_to_new_requests_only()
    {
        var before = await SubmitAsync();

        await factory.Services.GetRequiredService<SettingsStore>().SaveAsync(new Dictionary<string, string> { ["Deadlines:Profile"] = "GDPR" }, supervisor);
        var after = await SubmitAsync();

        Assert.Equal(DeadlineProfile.CN, before.Profile);
        Assert.Equal((DeadlineProfile.GDPR, new DateOnly(2026, 12, 2)), (after.Profile, LocalDue(after)));
        await using var db = factory.CreateDbContext();
        Assert.Equal(DeadlineProfile.CN, (await db.Requests.SingleAsync(r => r.Id == before.Id)).Profile);
    }

    [Fact]
    public async Task Saving_the_same_values_again_records_nothing()
    {
        var store = factory.Services.GetRequiredService<SettingsStore>();
        await store.SaveAsync(new Dictionary<string, string> { ["Retention:Years"] = "5" }, supervisor);
        await store.SaveAsync(new Dictionary<string, string> { ["Retention:Years"] = "5" }, supervisor);

        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SettingsChanged));
        Assert.Equal(5, factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<DsrPortal.Features.Retention.RetentionOptions>>().CurrentValue.Years);
    }

    [Fact]
    public async Task The_cooling_off_period_and_the_export_download_period_apply_from_the_next_approval()
    {
        await factory.Services.GetRequiredService<SettingsStore>().SaveAsync(new Dictionary<string, string>
        {
            ["Fulfilment:CoolingOffDays"] = "3",
            ["Fulfilment:ExportLinkDays"] = "2",
        }, supervisor);
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var agent = await factory.ActorAsync("agent@demo.local");
        var logOff = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.WholeAccount,
        }, subject, "session")).Request!;
        var export = await SubmitAsync();
        foreach (var id in new[] { logOff.Id, export.Id })
        {
            await workflow.ClaimAsync(id, agent);
            await workflow.ApproveAsync(id, agent, null);
        }

        await factory.Services.GetRequiredService<DsrPortal.Features.Fulfilment.FulfilmentRunner>().RunDueAsync();

        await using var db = factory.CreateDbContext();
        var jobs = await db.FulfilmentJobs.ToDictionaryAsync(j => j.RequestId);
        Assert.Equal(clock.GetUtcNow().AddDays(3), jobs[logOff.Id].NotBefore);
        Assert.Equal(clock.GetUtcNow().AddDays(2), jobs[export.Id].ExpiresAt);
        Assert.Contains("Fulfilment:CoolingOffDays", (await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.SettingsChanged)).Details);
    }

    [Fact]
    public async Task Lowering_the_minor_age_limit_makes_a_15_year_old_an_adult_for_the_portal_at_once()
    {
        var minors = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<DsrPortal.Features.Guardians.MinorOptions>>();
        var born = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-15);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Assert.True(minors.CurrentValue.IsMinor(born, today));

        await factory.Services.GetRequiredService<SettingsStore>().SaveAsync(new Dictionary<string, string> { ["Minors:AgeLimit"] = "14" }, supervisor);

        Assert.False(minors.CurrentValue.IsMinor(born, today));
        // The demo minor (15) no longer sees the notice about a guardian's consent.
        Assert.DoesNotContain("data-testid=\"minor-notice\"", await (await factory.SignedInClientAsync("minor@demo.local")).GetStringAsync("/my-data"));
    }

    [Fact]
    public async Task An_edited_email_template_is_used_for_the_next_email_until_reset_and_bad_ones_are_refused()
    {
        var templates = factory.Services.GetRequiredService<DsrPortal.Features.Notifications.EmailTemplates>();
        var store = factory.Services.GetRequiredService<SettingsStore>();
        var values = new Dictionary<string, string> { ["Reference"] = "DSR-2026-000042", ["TypeKey"] = "Copy of my data", ["StatusKey"] = "Open", ["DueDate"] = "2026-11-23", ["Link"] = "https://portal.example/r" };
        const string Edited = "Subject: We got it: {{Reference}}\n\n<p>Thanks! We answer by {{DueDate}}.</p>";

        Assert.Equal(DsrPortal.Features.Notifications.TemplateProblem.NoSubjectLine, await templates.ProblemAsync("request-received", "en", "Hello {{Reference}}"));
        Assert.Equal(DsrPortal.Features.Notifications.TemplateProblem.UnknownPlaceholder, await templates.ProblemAsync("request-received", "en", "Subject: x\n\n{{Password}}"));
        Assert.Null(await templates.ProblemAsync("request-received", "en", Edited));

        await store.SaveAsync(new Dictionary<string, string> { [DsrPortal.Features.Notifications.EmailTemplates.SettingKey("request-received", "en")] = Edited }, supervisor);
        var english = await templates.RenderAsync("request-received", "en", "a@example.com", values);
        var chinese = await templates.RenderAsync("request-received", "zh-CN", "a@example.com", values);
        Assert.Equal("We got it: DSR-2026-000042", english.Subject);
        Assert.Contains("We answer by 2026-11-23.", english.HtmlBody);
        Assert.NotEqual("We got it: DSR-2026-000042", chinese.Subject);

        await store.RemoveAsync(DsrPortal.Features.Notifications.EmailTemplates.SettingKey("request-received", "en"), supervisor);
        Assert.NotEqual("We got it: DSR-2026-000042", (await templates.RenderAsync("request-received", "en", "a@example.com", values)).Subject);

        await using var db = factory.CreateDbContext();
        var changes = await db.AuditEvents.Where(e => e.Action == AuditActions.SettingsChanged).Select(e => e.Details).ToListAsync();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, d => Assert.DoesNotContain("We answer by", d));
    }
}
