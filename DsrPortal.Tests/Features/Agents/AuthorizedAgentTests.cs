using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Agents;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Export;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Verification;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DsrPortal.Tests.Features.Agents;

/// <summary>
/// Authorized agents (CCPA 7063): an agent with a proven contact of their own names a person and uploads the
/// signed permission; nothing happens until the person answers through a link sent to their own address or
/// number; the agent follows the request; the permission is deleted after the decision; the export goes to
/// the person unless they chose otherwise.
/// </summary>
public sealed class AuthorizedAgentTests(AuthorizedAgentTests.Portal portal) : IClassFixture<AuthorizedAgentTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Api:LoginAttemptsPerMinute"] = "1000", ["Outbox:WorkerEnabled"] = "false" });

    private static readonly byte[] Pdf = SampleDocuments.Pdf;

    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task A_person_named_by_email_confirms_through_the_emailed_link_and_only_then_the_request_opens()
    {
        const string person = "represented@example.com";
        var agent = await Factory.ApiClientAsync("guardian@demo.local");
        var created = await agent.PostAsJsonAsync("/api/v1/agent-requests", Body(subjectEmail: person, type: "Export"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var request = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("AwaitingVerification", request.GetProperty("status").GetString());
        Assert.Equal("AuthorizedAgent", request.GetProperty("relation").GetString());

        // Someone else cannot see it, and the agent cannot confirm it with a code of their own.
        var stranger = await Factory.ApiClientAsync("subject@demo.local");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/requests/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await agent.PostAsync($"/api/v1/requests/{id}/verification/code", null)).StatusCode);

        await Factory.Services.GetRequiredService<OutboxSender>().ProcessBatchAsync();
        var mail = MailReader.ReadPickupFolder(Factory.PickupFolder);
        var ask = mail.Where(m => (m.Subject ?? "").Contains("act for you")).SingleTo(person);
        Assert.Contains("Mrs Wang", ask.HtmlBody);
        Assert.Contains("A family member", ask.HtmlBody);
        var reference = request.GetProperty("reference").GetString()!;
        Assert.Single(mail, m => (m.Subject ?? "").Contains($"{reference} as an authorized agent") && m.To.Mailboxes.Any(b => b.Address == "guardian@demo.local"));
        await using (var db = Factory.CreateDbContext())
        {
            // The one-off link does not stay in the outbox once sent.
            Assert.DoesNotContain(await db.OutboxMessages.Where(m => m.Template == "agent-confirm").Select(m => m.Values).ToListAsync(), v => v.Contains("agent-consent"));
        }

        var link = ask.LinkTo("/agent-consent/").PathAndQuery;
        var browser = Factory.CreateBrowserLikeClient();
        var page = FormPoster.Parse(await browser.GetStringAsync(link));
        Assert.Contains("Mrs Wang", page.QuerySelector("[data-testid=agent-consent-question]")!.TextContent);
        var answered = await browser.PostFormAsync(page, link, new Dictionary<string, string> { ["Input.Answer"] = "yes", ["Input.DeliverTo"] = "me" }, "agent-consent");
        Assert.NotNull((await answered.ParseAsync()).QuerySelector("[data-testid=agent-consent-done]"));

        request = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("Open", request.GetProperty("status").GetString());
        Assert.Equal(VerificationLabels.AgentConfirmed, request.GetProperty("verificationMethod").GetString());
        // The link, opened again, only says it was answered; the answer cannot be changed by a replay.
        var again = FormPoster.Parse(await browser.GetStringAsync(link));
        Assert.NotNull(again.QuerySelector("[data-testid=agent-consent-answered]"));
        Assert.Null(again.QuerySelector("[data-testid=agent-consent-form]"));
        var replay = await Factory.Services.GetRequiredService<AgentRequests>().AnswerAsync(link["/agent-consent/".Length..], confirmed: false, deliverToAgent: false, CancellationToken.None);
        Assert.Equal(WorkflowErrorKind.Rule, replay.Error!.Kind);

        string subjectId;
        await using (var db = Factory.CreateDbContext())
        {
            var subject = await db.Users.SingleAsync(u => u.NormalizedEmail == person.ToUpperInvariant());
            Assert.True(subject.IsGuest && subject.EmailConfirmed);
            subjectId = subject.Id;
            var actions = await db.AuditEvents.Where(e => e.RequestId == id).Select(e => e.Action).ToListAsync();
            Assert.Contains(AuditActions.AgentRequested, actions);
            Assert.Contains(AuditActions.AgentConfirmed, actions);
            Assert.DoesNotContain(await db.AuditEvents.Where(e => e.RequestId == id).Select(e => e.Details).ToListAsync(), d => d.Contains("Mrs Wang") || d.Contains(person));
        }

        // Staff open the permission (audited); the data subject and the agent cannot.
        var staff = await Factory.SignedInClientAsync("agent@demo.local");
        var document = await staff.GetAsync($"/queue/{id}/agent-permission");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(Pdf, await document.Content.ReadAsByteArrayAsync());
        // A document is always a download, never rendered in the portal's origin, and never cached.
        Assert.Equal("attachment", document.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", document.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(document.Headers.CacheControl?.NoStore);
        var guardianWeb = await Factory.SignedInClientAsync("guardian@demo.local");
        Assert.NotEqual(HttpStatusCode.OK, (await guardianWeb.GetAsync($"/queue/{id}/agent-permission")).StatusCode);

        // Approval is the decision: the permission is deleted, and only that fact stays.
        var workflow = Factory.Services.GetRequiredService<RequestWorkflow>();
        var agentActor = await Factory.ActorAsync("agent@demo.local");
        Assert.True((await workflow.ClaimAsync(id, agentActor)).Succeeded);
        Assert.True((await workflow.ApproveAsync(id, agentActor, null)).Succeeded);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Null((await db.AgentAuthorizations.SingleAsync(a => a.RequestId == id)).ProtectedDocument);
            Assert.True(await db.AuditEvents.AnyAsync(e => e.RequestId == id && e.Action == AuditActions.AgentDocumentPurged));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/queue/{id}/agent-permission")).StatusCode);

        // The person kept the export for themselves: the agent cannot download it.
        var downloads = Factory.Services.GetRequiredService<ExportDownloads>();
        Assert.False(await downloads.IsCallersAsync(id, await Factory.ActorAsync("guardian@demo.local")));
        Assert.True(await downloads.IsCallersAsync(id, new RequestActor(subjectId, DsrPortal.Features.Accounts.PortalRoles.Subject)));
    }

    [Fact]
    public async Task A_person_named_by_mobile_number_is_asked_by_text_and_saying_no_closes_the_request_and_tells_the_agent()
    {
        var agent = await Factory.ApiClientAsync("guardian@demo.local");
        var created = await agent.PostAsJsonAsync("/api/v1/agent-requests", Body(subjectPhone: ServiceDb.SubjectPhone, type: "Deletion", scope: new { deletion = "WholeAccount" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using (var db = Factory.CreateDbContext())
        {
            // The number belongs to the demo subject's account: the request is about them.
            var subjectId = await db.Users.Where(u => u.Email == "subject@demo.local").Select(u => u.Id).SingleAsync();
            Assert.Equal(subjectId, (await db.Requests.SingleAsync(r => r.Id == id)).SubjectId);
        }

        await Factory.Services.GetRequiredService<OutboxSender>().ProcessBatchAsync();
        var text = SmsReader.To(Factory.SmsFolder, ServiceDb.SubjectPhone).Last(m => m.Code is null).Text;
        var link = new Uri(text[text.IndexOf("http", StringComparison.Ordinal)..].Split(' ')[0]).PathAndQuery;
        var browser = Factory.CreateBrowserLikeClient();
        var page = FormPoster.Parse(await browser.GetStringAsync(link));
        await browser.PostFormAsync(page, link, new Dictionary<string, string> { ["Input.Answer"] = "no" }, "agent-consent");

        var request = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/requests/{id}");
        Assert.Equal("Refused", request.GetProperty("status").GetString());
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Null((await db.AgentAuthorizations.SingleAsync(a => a.RequestId == id)).ProtectedDocument);
            Assert.True(await db.AuditEvents.AnyAsync(e => e.RequestId == id && e.Action == AuditActions.AgentDenied));
            Assert.Contains("request-refused", await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync());
        }

        // A forged link opens nothing.
        Assert.NotNull(FormPoster.Parse(await browser.GetStringAsync("/agent-consent/CfDJ8forged")).QuerySelector("[data-testid=agent-consent-expired]"));
    }

    [Fact]
    public async Task Missing_or_fake_permission_a_bad_address_and_acting_for_oneself_are_refused_with_reasons()
    {
        var agent = await Factory.ApiClientAsync("guardian@demo.local");
        Assert.Contains("signed permission", await (await agent.PostAsJsonAsync("/api/v1/agent-requests", Body("x@example.com", document: ""))).Content.ReadAsStringAsync());
        var fake = await agent.PostAsJsonAsync("/api/v1/agent-requests", Body("x@example.com", document: Convert.ToBase64String("MZ not a pdf"u8.ToArray())));
        Assert.Equal(HttpStatusCode.BadRequest, fake.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.PostAsJsonAsync("/api/v1/agent-requests", Body("x@example.com", document: "%%%"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.PostAsJsonAsync("/api/v1/agent-requests", Body("not an address"))).StatusCode);
        var self = await agent.PostAsJsonAsync("/api/v1/agent-requests", Body("guardian@demo.local"));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("your own authorized agent", await self.Content.ReadAsStringAsync());
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == "X@EXAMPLE.COM"));
    }

    private static object Body(string? subjectEmail = null, string? subjectPhone = null, string type = "Export", object? scope = null, string? document = null) => new
    {
        subjectEmail,
        subjectPhone,
        agentKind = "FamilyMember",
        agentName = "Mrs Wang",
        type,
        scope,
        permissionDocument = document ?? Convert.ToBase64String(Pdf),
    };
}
