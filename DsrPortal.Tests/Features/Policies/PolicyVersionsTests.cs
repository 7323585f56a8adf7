using DsrPortal.Features.Audit;
using DsrPortal.Features.Policies;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Policies;

/// <summary>Clause 5: a changed policy applies to each user only after they agree.</summary>
public sealed class PolicyVersionsTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private AuditActor supervisor = null!;
    private string subjectId = "";

    private PolicyService Policies => factory.Services.GetRequiredService<PolicyService>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        supervisor = (await factory.ActorAsync("supervisor@demo.local")).ForAudit;
        subjectId = (await factory.ActorAsync("subject@demo.local")).UserId;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static PolicyDraft Draft(string version = "2", DateTimeOffset? effective = null) => new(
        version, "Version 2: we no longer build crowd portraits.", "第二版：我们不再形成人群画像。",
        "Crowd portraits are no longer made.", "不再形成人群画像。", effective ?? DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_published_version_asks_existing_users_to_agree_and_their_agreement_is_recorded()
    {
        await using var db = factory.CreateDbContext();
        Assert.Null(await Policies.PendingAgreementAsync(db, subjectId));

        Assert.Null(await Policies.PublishAsync(db, Draft(), supervisor));

        var pending = await Policies.PendingAgreementAsync(db, subjectId);
        Assert.Equal("2", pending?.Version);
        Assert.Equal("不再形成人群画像。", PolicyService.Summary(pending!, "zh-CN"));

        await Policies.AgreeAsync(db, subjectId, "Subject", ConsentChannel.Web);

        Assert.Null(await Policies.PendingAgreementAsync(db, subjectId));
        var history = await db.ConsentRecords.Include(c => c.PolicyVersion).Where(c => c.UserId == subjectId).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([("1", ConsentDecision.Agreed), ("2", ConsentDecision.Agreed)], history.Select(c => (c.PolicyVersion!.Version, c.Decision)));
        Assert.Equal([AuditActions.PolicyPublished, AuditActions.ConsentAgreed],
            await db.AuditEvents.Where(e => e.Action.StartsWith("policy.") || e.Action.StartsWith("consent.")).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task The_agreement_to_a_new_version_is_in_the_subjects_export_with_the_versions_summary()
    {
        await using (var db = factory.CreateDbContext())
        {
            Assert.Null(await Policies.PublishAsync(db, Draft(), supervisor));
            await Policies.AgreeAsync(db, subjectId, "Subject", ConsentChannel.Web);
        }

        var keys = (await factory.Services.GetRequiredService<DsrPortal.Features.DataSources.PersonalData>().KeysAsync(subjectId, CancellationToken.None))!;
        using var package = new MemoryStream();
        await factory.Services.GetRequiredService<DsrPortal.Features.Export.ExportPackageWriter>()
            .WriteAsync(package, keys, "DSR-2026-000001", "en", DateTimeOffset.UtcNow);

        package.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(package);
        var consents = System.Text.Json.JsonDocument.Parse(zip.GetEntry("data/Consents.json")!.Open()).RootElement.EnumerateArray().ToList();
        Assert.Equal(["1", "2"], consents.Select(c => c.GetProperty("policy_version").GetString()));
        Assert.Equal("Crowd portraits are no longer made.", consents[1].GetProperty("summary_of_changes_en").GetString());
        Assert.Equal("Web", consents[1].GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Withdrawing_is_recorded_and_the_question_comes_back()
    {
        await using var db = factory.CreateDbContext();

        await Policies.WithdrawAsync(db, subjectId, "Subject", ConsentChannel.Web);

        Assert.Equal("1", (await Policies.PendingAgreementAsync(db, subjectId))?.Version);
        var latest = await db.ConsentRecords.Where(c => c.UserId == subjectId).OrderByDescending(c => c.Id).FirstAsync();
        Assert.Equal(ConsentDecision.Withdrawn, latest.Decision);
    }

    [Fact]
    public async Task A_draft_missing_a_language_a_duplicate_or_a_backdated_one_is_refused()
    {
        await using var db = factory.CreateDbContext();

        Assert.Equal("The policy text is needed in both English and Chinese.", await Policies.PublishAsync(db, Draft() with { TextChinese = " " }, supervisor));
        Assert.Equal("The effective date must be now or later, and after the version in effect.",
            await Policies.PublishAsync(db, Draft(effective: DateTimeOffset.UtcNow.AddDays(-3)), supervisor));
        Assert.Equal("A policy version with this name already exists.", await Policies.PublishAsync(db, Draft("1"), supervisor));
        Assert.Equal(1, await db.PolicyVersions.CountAsync());
    }

    [Fact]
    public async Task The_policy_page_shows_the_new_version_in_each_language()
    {
        await using (var db = factory.CreateDbContext())
        {
            await Policies.PublishAsync(db, Draft(), supervisor);
        }

        var english = FormPoster.Parse(await factory.CreateBrowserLikeClient("en").GetStringAsync("/privacy-policy"));
        var chinese = FormPoster.Parse(await factory.CreateBrowserLikeClient("zh-CN").GetStringAsync("/privacy-policy"));

        Assert.Equal("Version 2: we no longer build crowd portraits.", english.QuerySelector("[data-testid=policy-text]")!.TextContent);
        Assert.Equal("第二版：我们不再形成人群画像。", chinese.QuerySelector("[data-testid=policy-text]")!.TextContent);
    }
}
