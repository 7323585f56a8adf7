using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Webhooks;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Preferences;

public sealed class PreferencesTests(PreferencesTests.Portal portal) : IClassFixture<PreferencesTests.Portal>
{
    private const string ServiceKey = "recommendation-service-key-of-32-characters-or-more";

    /// <summary>A portal whose webhook endpoint is a real HTTP server of the test's.</summary>
    public sealed class Portal : IAsyncLifetime
    {
        public PortalFactory Factory { get; private set; } = null!;

        public WebhookListener Hooks { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Hooks = await WebhookListener.StartAsync();
            Factory = new PortalFactory(new Dictionary<string, string?>
            {
                ["Webhooks:Endpoints:0:Name"] = "recommendations",
                ["Webhooks:Endpoints:0:Url"] = Hooks.Url,
                ["Webhooks:Endpoints:0:Secret"] = WebhookListener.Secret,
                ["Webhooks:PollInterval"] = "00:00:00.200",
                ["Webhooks:FirstRetryAfter"] = "00:00:00.300",
                ["Api:ServiceKeys:recommendations"] = ServiceKey,
            });
            _ = Factory.Server;
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            await Hooks.DisposeAsync();
        }
    }

    private static string? Data(WebhookListener.Received post, string key) =>
        post.Json.GetProperty("data").TryGetProperty(key, out var value) ? value.GetString() : null;

    [Fact]
    public async Task A_refusal_takes_effect_at_once_reaches_the_companys_systems_signed_and_shows_in_the_app()
    {
        var client = await portal.Factory.ApiClientAsync("subject@demo.local");

        var refused = await client.PutAsJsonAsync("/api/v1/me/preferences/advertising", new { decision = "Refused" });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences");
        var byPurpose = mine.EnumerateArray().ToDictionary(p => p.GetProperty("purpose").GetString()!, p => p);
        Assert.Equal(["PersonalisedRecommendations", "Advertising", "CrowdPortraits"], byPurpose.Keys);
        Assert.Equal("Refused", byPurpose["Advertising"].GetProperty("decision").GetString());
        Assert.Equal("Api", byPurpose["Advertising"].GetProperty("channel").GetString());
        Assert.Equal("Allowed", byPurpose["CrowdPortraits"].GetProperty("decision").GetString());
        Assert.Equal(JsonValueKind.Null, byPurpose["CrowdPortraits"].GetProperty("recordedAt").ValueKind);

        // The company's system hears of it within seconds, signed with the shared secret, naming the person by
        // the identifiers it knows them by.
        var post = await portal.Hooks.WaitForAsync(p => p.Event == WebhookEvents.PreferenceChanged && Data(p, "purpose") == "Advertising");
        Assert.True(WebhookSignature.Verify(WebhookListener.Secret, post.Signature, post.Body, DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(WebhookListener.Secret, post.Signature, post.Body.Replace("Refused", "Allowed"), DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(WebhookListener.Secret, post.Signature, post.Body, DateTimeOffset.UtcNow.AddMinutes(10)));
        Assert.Equal("Refused", post.Json.GetProperty("data").GetProperty("decision").GetString());
        Assert.Equal(ServiceDb.SubjectPhone, post.Json.GetProperty("subject").GetProperty("phone").GetString());

        // Audited with codes only; the table of pending posts holds no identifier either.
        await using var db = portal.Factory.CreateDbContext();
        var audited = await db.AuditEvents.Where(e => e.Action == AuditActions.PreferenceChanged).Select(e => e.Details).ToListAsync();
        Assert.Contains(audited, d => d.Contains("Advertising") && d.Contains("Refused"));
        Assert.DoesNotContain(audited, d => d.Contains(ServiceDb.SubjectPhone) || d.Contains("@demo.local"));
        Assert.DoesNotContain(await db.WebhookDeliveries.Select(d => d.Data).ToListAsync(), d => d.Contains(ServiceDb.SubjectPhone));

        // Choosing again what is in force records nothing new and tells nobody again.
        var before = await db.ProcessingChoices.CountAsync();
        await client.PutAsJsonAsync("/api/v1/me/preferences/Advertising", new { decision = "refused" });
        Assert.Equal(before, await db.ProcessingChoices.CountAsync());
    }

    [Fact]
    public async Task An_endpoint_that_fails_is_offered_the_event_again_until_it_takes_it()
    {
        var client = await portal.Factory.ApiClientAsync("guardian@demo.local");
        portal.Hooks.AnswerNext(500, 503);

        await client.PutAsJsonAsync("/api/v1/me/preferences/CrowdPortraits", new { decision = "Refused" });

        var taken = await portal.Hooks.WaitForAsync(p => Data(p, "purpose") == "CrowdPortraits"
            && p.Json.GetProperty("subject").GetProperty("phone").GetString() == ServiceDb.GuardianPhone);
        var sameDelivery = portal.Hooks.Posts.Where(p => p.Json.GetProperty("id").GetInt64() == taken.Json.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([500, 503, 200], sameDelivery.Select(p => p.AnsweredWith));
        var id = taken.Json.GetProperty("id").GetInt64();
        WebhookDelivery Delivery()
        {
            using var db = portal.Factory.CreateDbContext();
            return db.WebhookDeliveries.AsNoTracking().Single(d => d.Id == id);
        }

        await Eventually.TrueAsync(() => Delivery().Status == WebhookStatus.Sent, "the delivery is marked sent");
        Assert.Equal((3, null), (Delivery().Attempts, Delivery().LastError));
    }

    [Fact]
    public async Task Back_end_services_read_the_change_feed_with_their_key_and_nobody_else_can()
    {
        var anonymous = portal.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/preferences/changes")).StatusCode);
        anonymous.DefaultRequestHeaders.Add("X-Service-Key", "a-guess-that-is-long-enough-to-look-like-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/preferences/changes")).StatusCode);
        // A subject's own bearer token is no service key either.
        var subject = await portal.Factory.ApiClientAsync("minor@demo.local");
        Assert.Equal(HttpStatusCode.Unauthorized, (await subject.GetAsync("/api/v1/preferences/changes")).StatusCode);

        var service = portal.Factory.CreateClient();
        service.DefaultRequestHeaders.Add("X-Service-Key", ServiceKey);
        var start = (await service.GetFromJsonAsync<JsonElement>("/api/v1/preferences/changes?after=0&limit=500")).GetProperty("next").GetInt64();
        await subject.PutAsJsonAsync("/api/v1/me/preferences/PersonalisedRecommendations", new { decision = "Refused" });
        // Another person withdrawing the policy agreement and giving it again is in the same feed, after the choice.
        var other = await portal.Factory.ApiClientAsync("subject@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync("/api/v1/me/policy/withdraw", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync("/api/v1/me/policy/agree", new { version = "1" })).StatusCode);

        var feed = await service.GetFromJsonAsync<JsonElement>($"/api/v1/preferences/changes?after={start}");
        var changes = feed.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["preference.changed", "policy.withdrawn", "policy.agreed"], changes.Select(c => c.GetProperty("event").GetString()));
        var change = changes[0];
        Assert.Equal(("PersonalisedRecommendations", "Refused", "13800000003"),
            (change.GetProperty("purpose").GetString(), change.GetProperty("decision").GetString(), change.GetProperty("phone").GetString()));
        Assert.Equal(("Api", "subject@demo.local", "1"), (changes[1].GetProperty("channel").GetString(), changes[1].GetProperty("email").GetString(),
            changes[1].GetProperty("data").GetProperty("policyVersion").GetString()));
        Assert.Equal(JsonValueKind.Null, changes[1].GetProperty("purpose").ValueKind);
        var next = feed.GetProperty("next").GetInt64();
        Assert.Empty((await service.GetFromJsonAsync<JsonElement>($"/api/v1/preferences/changes?after={next}")).GetProperty("changes").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await service.GetAsync("/api/v1/preferences/changes?limit=100000")).StatusCode);
    }

    [Fact]
    public async Task Withdrawing_the_policy_agreement_reaches_the_companys_systems_too()
    {
        var policies = portal.Factory.Services.GetRequiredService<DsrPortal.Features.Policies.PolicyService>();
        string minor;
        await using (var db = portal.Factory.CreateDbContext())
        {
            minor = await db.Users.Where(u => u.Email == "minor@demo.local").Select(u => u.Id).SingleAsync();
            await policies.WithdrawAsync(db, minor, DsrPortal.Features.Accounts.PortalRoles.Subject, DsrPortal.Features.Policies.ConsentChannel.Web);
        }

        bool For(WebhookListener.Received p) => p.Json.GetProperty("subject").GetProperty("portalUserId").GetString() == minor;
        var post = await portal.Hooks.WaitForAsync(p => p.Event == WebhookEvents.PolicyWithdrawn && For(p));
        Assert.Equal("1", post.Json.GetProperty("data").GetProperty("policyVersion").GetString());
        Assert.True(WebhookSignature.Verify(WebhookListener.Secret, post.Signature, post.Body, DateTimeOffset.UtcNow));
        Assert.DoesNotContain(portal.Hooks.Posts, p => p.Event == WebhookEvents.PolicyAgreed && For(p));

        // Agreeing again is told as what it is, so the company's systems can resume.
        await using (var db = portal.Factory.CreateDbContext())
        {
            await policies.AgreeAsync(db, minor, DsrPortal.Features.Accounts.PortalRoles.Subject, DsrPortal.Features.Policies.ConsentChannel.Web);
        }

        await portal.Hooks.WaitForAsync(p => p.Event == WebhookEvents.PolicyAgreed && For(p));
        Assert.Single(portal.Hooks.Posts, p => p.Event == WebhookEvents.PolicyWithdrawn && For(p));
    }

    [Fact]
    public async Task Events_given_up_on_are_listed_for_supervisors_and_sent_again_when_they_ask()
    {
        var client = await portal.Factory.ApiClientAsync("minor@demo.local");
        await client.PutAsJsonAsync("/api/v1/me/preferences/Advertising", new { decision = "Refused" });
        var first = await portal.Hooks.WaitForAsync(p => Data(p, "purpose") == "Advertising"
            && p.Json.GetProperty("subject").GetProperty("phone").GetString() == "13800000003");
        var id = first.Json.GetProperty("id").GetInt64();
        // As if the receiver had been down for every attempt.
        await using (var db = portal.Factory.CreateDbContext())
        {
            await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookStatus.Failed).SetProperty(d => d.Attempts, 12).SetProperty(d => d.LastError, "HTTP 503"));
        }

        var supervisor = await portal.Factory.SignedInClientAsync("supervisor@demo.local");
        var reports = await supervisor.GetStringAsync("/reports");
        Assert.Contains("data-testid=\"failed-webhooks\"", reports);
        Assert.Contains("HTTP 503", reports);

        var actor = await portal.Factory.ActorAsync("supervisor@demo.local");
        Assert.Equal(1, await portal.Factory.Services.GetRequiredService<WebhookSender>().ResendFailedAsync(actor.ForAudit, portal.Factory.Services.GetRequiredService<AuditWriter>()));

        await Eventually.TrueAsync(() => portal.Hooks.Posts.Count(p => p.Json.GetProperty("id").GetInt64() == id) == 2, "the same delivery posted again");
        await using var after = portal.Factory.CreateDbContext();
        Assert.True(await after.AuditEvents.AnyAsync(e => e.Action == AuditActions.WebhooksResent));
    }

    [Fact]
    public async Task The_app_shows_the_policy_in_force_and_records_withdrawing_and_agreeing_again()
    {
        var client = await portal.Factory.ApiClientAsync("guardian@demo.local");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        static (string?, string?, bool) State(JsonElement p) =>
            (p.GetProperty("version").GetString(), p.GetProperty("decision").GetString(), p.GetProperty("mustAgree").GetBoolean());

        var policy = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/policy");
        Assert.Equal(("1", "Agreed", false), State(policy));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", policy.GetProperty("text").GetString());

        var withdrawn = await (await client.PostAsJsonAsync("/api/v1/me/policy/withdraw", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("1", "Withdrawn", true), State(withdrawn));
        // An agreement counts only for the version the person was shown.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/v1/me/policy/agree", new { version = "0.9" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/me/policy/agree", new { })).StatusCode);
        var agreed = await (await client.PostAsJsonAsync("/api/v1/me/policy/agree", new { version = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("1", "Agreed", false), State(agreed));

        await using var db = portal.Factory.CreateDbContext();
        var guardian = await db.Users.Where(u => u.Email == "guardian@demo.local").Select(u => u.Id).SingleAsync();
        var recorded = await db.ConsentRecords.Where(c => c.UserId == guardian).OrderBy(c => c.Id).Select(c => new { c.Decision, c.Channel }).ToListAsync();
        Assert.Equal(
            [(DsrPortal.Features.Policies.ConsentDecision.Withdrawn, DsrPortal.Features.Policies.ConsentChannel.Api), (DsrPortal.Features.Policies.ConsentDecision.Agreed, DsrPortal.Features.Policies.ConsentChannel.Api)],
            recorded.TakeLast(2).Select(c => (c.Decision, c.Channel)));
        foreach (var @event in new[] { WebhookEvents.PolicyWithdrawn, WebhookEvents.PolicyAgreed })
        {
            var post = await portal.Hooks.WaitForAsync(p => p.Event == @event && p.Json.GetProperty("subject").GetProperty("portalUserId").GetString() == guardian);
            Assert.Equal("Api", Data(post, "channel"));
        }
    }

    [Fact]
    public async Task A_guardian_withdrawing_consent_for_a_minor_reaches_the_companys_systems_about_the_minor()
    {
        Guid link;
        string guardian, minor;
        await using (var db = portal.Factory.CreateDbContext())
        {
            // The demo guardian's verified link to the demo minor, consent given.
            var demo = await db.GuardianLinks.AsNoTracking().FirstAsync(l => l.ConsentGivenAt != null && l.ConsentWithdrawnAt == null);
            (link, guardian, minor) = (demo.Id, demo.GuardianId!, demo.MinorId);
        }

        await portal.Factory.Services.GetRequiredService<DsrPortal.Features.Guardians.GuardianService>().WithdrawConsentAsync(link, guardian);

        var post = await portal.Hooks.WaitForAsync(p => p.Event == WebhookEvents.GuardianConsentWithdrawn);
        Assert.Equal(minor, post.Json.GetProperty("subject").GetProperty("portalUserId").GetString());
        Assert.Equal("13800000003", post.Json.GetProperty("subject").GetProperty("phone").GetString());
        Assert.True(WebhookSignature.Verify(WebhookListener.Secret, post.Signature, post.Body, DateTimeOffset.UtcNow));

        // The back-end services' feed has it too, about the minor.
        var service = portal.Factory.CreateClient();
        service.DefaultRequestHeaders.Add("X-Service-Key", ServiceKey);
        var feed = await service.GetFromJsonAsync<JsonElement>("/api/v1/preferences/changes?after=0&limit=500");
        var withdrawn = Assert.Single(feed.GetProperty("changes").EnumerateArray(), c => c.GetProperty("event").GetString() == WebhookEvents.GuardianConsentWithdrawn);
        Assert.Equal((minor, link.ToString()), (withdrawn.GetProperty("portalUserId").GetString(), withdrawn.GetProperty("data").GetProperty("link").GetString()));
    }

    [Theory]
    [InlineData("astrology", "Refused", "purpose")]
    [InlineData("Advertising", "maybe", "decision")]
    [InlineData("1", "Refused", "purpose")]
    public async Task A_choice_the_portal_does_not_know_is_refused_naming_the_field(string purpose, string decision, string field)
    {
        var client = await portal.Factory.ApiClientAsync("subject@demo.local");

        var response = await client.PutAsJsonAsync($"/api/v1/me/preferences/{purpose}", new { decision });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }
}
