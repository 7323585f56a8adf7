using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Documents;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Guardians;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Guardians;

/// <summary>Guardian links end to end on a real database: documents, verification, acting for a minor, and everyone else's 404.</summary>
public sealed class GuardianTests : IAsyncLifetime
{
    private static readonly byte[] Png = SampleDocuments.Png;
    private static readonly byte[] Pdf = SampleDocuments.Pdf;

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private RequestActor guardian = null!;
    private RequestActor agent = null!;

    public GuardianTests() => factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    private GuardianService Guardians => factory.Services.GetRequiredService<GuardianService>();

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        guardian = await factory.ActorAsync("guardian@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Documents_are_checked_by_content_stored_encrypted_and_purged_when_the_agent_decides()
    {
        var minor = await CreateMinorAsync("teen@example.com", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-15));
        var linkId = await Guardians.ApplyAsync(guardian.UserId, "TEEN@example.com");

        // Refused with a reason a person understands, whatever the file is called.
        Assert.Equal(DocumentProblem.Empty, Problem([]));
        Assert.Equal(DocumentProblem.NotPdfJpegOrPng, Problem("this is a text file renamed to consent.pdf"u8.ToArray()));
        Assert.Equal(DocumentProblem.NotPdfJpegOrPng, Problem([0x4D, 0x5A, 0x90, 0x00]));
        Assert.Equal(DocumentProblem.TooLarge, Problem([.. Pdf, .. new byte[DocumentCheck.MaxBytes]]));
        var disguised = await Assert.ThrowsAsync<RequestRuleException>(() => Guardians.SubmitDocumentsAsync(linkId, guardian.UserId, Png, "not a pdf"u8.ToArray()));
        Assert.Equal("A document was refused: upload a PDF, JPEG or PNG file of at most 5 MB for each.", disguised.Key);

        await Guardians.SubmitDocumentsAsync(linkId, guardian.UserId, Png, Pdf);
        long proofId;
        await using (var db = factory.CreateDbContext())
        {
            var documents = await db.GuardianDocuments.Where(d => d.LinkId == linkId).OrderBy(d => d.Kind).ToListAsync();
            Assert.Equal(["image/png", "application/pdf"], documents.Select(d => d.ContentType));
            Assert.DoesNotContain(documents, d => d.ProtectedContent.AsSpan().IndexOf("%PDF"u8) >= 0);
            proofId = documents[0].Id;
            var link = await db.GuardianLinks.SingleAsync(l => l.Id == linkId);
            Assert.Equal(GuardianLinkStatus.PendingVerification, link.Status);
            Assert.NotNull(link.DueAt);
        }

        var opened = await Guardians.OpenDocumentAsync(proofId, agent.ForAudit);
        Assert.Equal(Png, opened!.Value.Content);
        Assert.False(await Guardians.MayActForAsync(guardian.UserId, minor.Id));

        var noReason = await Assert.ThrowsAsync<RequestRuleException>(() => Guardians.DecideAsync(linkId, agent.ForAudit, verify: false, reason: " "));
        Assert.Equal("Give the reason for refusing: the guardian is told.", noReason.Key);
        await Guardians.DecideAsync(linkId, agent.ForAudit, verify: true, reason: null);

        await using var after = factory.CreateDbContext();
        Assert.Empty(await after.GuardianDocuments.Where(d => d.LinkId == linkId).ToListAsync());
        var verified = await after.GuardianLinks.SingleAsync(l => l.Id == linkId);
        Assert.Equal((GuardianLinkStatus.Verified, agent.UserId), (verified.Status, verified.DecidedBy));
        Assert.Contains("ProofOfGuardianship (PNG", verified.VerificationMethod);
        Assert.Contains("WrittenConsent (PDF", verified.VerificationMethod);
        Assert.True(verified.ConsentInForce);
        Assert.Equal(1, await after.AuditEvents.CountAsync(e => e.Action == AuditActions.GuardianDocumentViewed && e.ActorId == agent.UserId));
        Assert.Contains(await after.OutboxMessages.Where(m => m.RecipientUserId == guardian.UserId).Select(m => m.Template).ToListAsync(), t => t == "guardian-decided");
        Assert.True(await Guardians.MayActForAsync(guardian.UserId, minor.Id));
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(after)).Intact);
    }

    [Fact]
    public async Task A_verified_guardian_acts_for_the_minor_who_is_told_and_another_guardian_gets_404_everywhere()
    {
        var minor = await CreateMinorAsync("kid@example.com", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-15));
        var linkId = await VerifiedLinkAsync(minor.Id, "kid@example.com");

        var submitted = await Workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Export, SubjectId = minor.Id, RequesterId = guardian.UserId, Relation = RequesterRelation.Guardian,
        }, guardian, "Verified guardian");
        var id = submitted.Request!.Id;
        await Workflow.ClaimAsync(id, agent);
        await Workflow.ApproveAsync(id, agent, null);
        await factory.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync();

        await using (var db = factory.CreateDbContext())
        {
            var emails = await db.OutboxMessages.Where(m => m.RequestId == id).Select(m => new { m.Template, m.RecipientUserId }).ToListAsync();
            Assert.Contains(emails, e => e.Template == "request-received" && e.RecipientUserId == guardian.UserId);
            Assert.Contains(emails, e => e.Template == "request-made-for-you" && e.RecipientUserId == minor.Id);
            Assert.Equal(RequesterRelation.Guardian, (await db.Requests.SingleAsync(r => r.Id == id)).Relation);
        }

        // The guardian: the minor's pages, the download, and the API.
        var web = await factory.SignedInClientAsync("guardian@demo.local");
        var data = await web.GetStringAsync($"/my-data?for={minor.Id}");
        Assert.Contains("data-testid=\"acting-for\"", data);
        // The request's own page keeps saying whose request it is.
        var requestPage = await web.GetStringAsync($"/requests/{id}");
        Assert.Contains("data-testid=\"acting-for\"", requestPage);
        // Its timeline names the guardian as the one who asked.
        Assert.Contains("Guardian", FormPoster.Parse(requestPage).QuerySelector("[data-testid=timeline]")!.TextContent);
        // And the guardian's own list says whose each request is.
        Assert.Contains("data-testid=\"for-minor\"", await web.GetStringAsync("/requests"));
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/requests/{id}/export")).StatusCode);
        var api = await factory.ApiClientAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/requests/{id}/export")).StatusCode);
        Assert.Contains(id.ToString(), await api.GetStringAsync($"/api/v1/requests?for={minor.Id}"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/me/data?for={minor.Id}")).StatusCode);
        var wards = await api.GetFromJsonAsync<JsonElement>("/api/v1/guardians/wards");
        Assert.Contains(wards.EnumerateArray(), w => w.GetProperty("minorId").GetString() == minor.Id);

        // The minor sees the request made for them.
        var minorPage = await (await factory.SignedInClientAsync("kid@example.com", Password)).GetStringAsync("/requests");
        Assert.Contains(submitted.Request.Reference, minorPage);
        Assert.Contains("Made by a guardian", minorPage);

        // Anyone else, even signed in and holding every id: 404.
        var stranger = await factory.SignedInClientAsync("subject@demo.local");
        foreach (var path in new[] { $"/my-data?for={minor.Id}", $"/requests?for={minor.Id}", $"/requests/new?for={minor.Id}", $"/requests/{id}", $"/requests/{id}/export", $"/guardians/links/{linkId}" })
        {
            Assert.True(HttpStatusCode.NotFound == (await stranger.GetAsync(path)).StatusCode, path);
        }

        var strangerApi = await factory.ApiClientAsync("subject@demo.local");
        foreach (var path in new[] { $"/api/v1/requests/{id}", $"/api/v1/requests/{id}/messages", $"/api/v1/requests/{id}/export", $"/api/v1/requests?for={minor.Id}", $"/api/v1/me/data?for={minor.Id}" })
        {
            Assert.True(HttpStatusCode.NotFound == (await strangerApi.GetAsync(path)).StatusCode, path);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await strangerApi.PostAsJsonAsync($"/api/v1/requests/{id}/messages", new { body = "Let me in." })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerApi.PostAsync($"/api/v1/requests/{id}/withdraw", null)).StatusCode);
        var forged = await strangerApi.PostAsJsonAsync("/api/v1/requests", new { type = "Deletion", scope = new { deletion = "WholeAccount" }, subjectId = minor.Id });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(1, await db.Requests.CountAsync(r => r.SubjectId == minor.Id));
        }

        // Withdrawing the written consent: the minor and the agents see it; the guardian still acts for the minor.
        await Guardians.WithdrawConsentAsync(linkId, guardian.UserId);
        Assert.Contains("Your guardian has withdrawn their written consent.", await (await factory.SignedInClientAsync("kid@example.com", Password)).GetStringAsync("/my-data"));
        Assert.Contains("Withdrawn by the guardian", await (await factory.SignedInClientAsync("agent@demo.local")).GetStringAsync($"/queue/{id}"));
        Assert.True(await Guardians.MayActForAsync(guardian.UserId, minor.Id));
    }

    [Fact]
    public async Task Access_stops_when_the_minor_reaches_the_age_limit_or_the_link_is_ended()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var almostAdult = await CreateMinorAsync("almost@example.com", today.AddYears(-18).AddDays(3));
        await VerifiedLinkAsync(almostAdult.Id, "almost@example.com");
        var younger = await CreateMinorAsync("younger@example.com", today.AddYears(-12));
        var youngerLink = await VerifiedLinkAsync(younger.Id, "younger@example.com");
        var web = await factory.SignedInClientAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/my-data?for={almostAdult.Id}")).StatusCode);

        clock.Advance(TimeSpan.FromDays(4));

        Assert.False(await Guardians.MayActForAsync(guardian.UserId, almostAdult.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync($"/my-data?for={almostAdult.Id}")).StatusCode);
        Assert.True(await Guardians.MayActForAsync(guardian.UserId, younger.Id));

        // The minor ends the link: the guardian's access stops at once.
        await Guardians.EndAsync(youngerLink, younger.Id, PortalRoles.Subject);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync($"/requests?for={younger.Id}")).StatusCode);
        var refused = await Workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Export, SubjectId = younger.Id, RequesterId = guardian.UserId, Relation = RequesterRelation.Guardian,
        }, guardian, "Verified guardian");
        Assert.Equal("You can make requests for a minor only while your guardian link to them is verified.", refused.Error?.Key);
    }

    [Fact]
    public async Task A_minor_invites_a_guardian_by_email_and_the_invitation_works_once()
    {
        var minor = await CreateMinorAsync("invites@example.com", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-14));

        await Guardians.InviteAsync(minor.Id, "parent@example.com");

        string link;
        await using (var db = factory.CreateDbContext())
        {
            var invitation = await db.OutboxMessages.SingleAsync(m => m.Template == "guardian-invitation");
            Assert.Equal("parent@example.com", invitation.Address);
            link = JsonDocument.Parse(invitation.Values).RootElement.GetProperty("Link").GetString()!;
            Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Details).ToListAsync(), d => d.Contains("parent@example.com"));
        }

        var token = link[(link.LastIndexOf('/') + 1)..];
        var linkId = await Guardians.AcceptInvitationAsync(token, guardian.UserId);
        var again = await Assert.ThrowsAsync<RequestRuleException>(() => Guardians.AcceptInvitationAsync(token, guardian.UserId));

        Assert.Equal("This invitation is not valid any more. Ask for a new one.", again.Key);
        await using var after = factory.CreateDbContext();
        var accepted = await after.GuardianLinks.SingleAsync(l => l.Id == linkId);
        Assert.Equal((GuardianLinkStatus.AwaitingDocuments, guardian.UserId, GuardianLinkOrigin.InvitedByMinor), (accepted.Status, accepted.GuardianId, accepted.Origin));
        var adult = await Assert.ThrowsAsync<RequestRuleException>(() => Guardians.InviteAsync(guardian.UserId, "someone@example.com"));
        Assert.Equal("Only an account under the age limit can invite a guardian.", adult.Key);
    }

    private const string Password = "a long test passphrase";

    private static DocumentProblem? Problem(byte[] content)
    {
        DocumentCheck.Detect(content, out var problem);
        return problem;
    }

    private async Task<Guid> VerifiedLinkAsync(string minorId, string minorEmail)
    {
        var linkId = await Guardians.ApplyAsync(guardian.UserId, minorEmail);
        await Guardians.SubmitDocumentsAsync(linkId, guardian.UserId, Png, Pdf);
        await Guardians.DecideAsync(linkId, agent.ForAudit, verify: true, reason: null);
        Assert.True(await Guardians.MayActForAsync(guardian.UserId, minorId));
        return linkId;
    }

    private async Task<ApplicationUser> CreateMinorAsync(string email, DateOnly born)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            UserName = email, Email = email, EmailConfirmed = true, Nickname = "Teen", Gender = Gender.Female, DateOfBirth = born,
            ProtectedPhoneNumber = scope.ServiceProvider.GetRequiredService<PhoneNumberProtector>().Protect("13912340000"),
            CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
        };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, PortalRoles.Subject)).Succeeded);
        return user;
    }
}
