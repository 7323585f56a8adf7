using System.IO.Compression;
using System.Net;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Deceased;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Deceased;

public sealed class DeceasedTests(DeceasedTests.Portal portal) : IClassFixture<DeceasedTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    private DeceasedService Deceased => portal.Factory.Services.GetRequiredService<DeceasedService>();

    private static RelativeClaimDraft Draft(string deceased, Kinship kinship = Kinship.Child, RequestType asked = RequestType.Export) =>
        new(deceased, kinship, asked, "I settle my father's estate and need his records.", SampleDocuments.Png, SampleDocuments.Pdf);

    private async Task<string> RelativeAsync(string email)
    {
        await using var db = portal.Factory.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleOrDefaultAsync() ?? (await portal.Factory.CreateSubjectAsync(email)).Id;
    }

    [Fact]
    public async Task A_relatives_export_request_is_verified_from_documents_that_are_then_deleted_and_fulfilled_to_the_relative()
    {
        var relative = await RelativeAsync("heir@demo.local");
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        var claimId = await Deceased.SubmitAsync(relative, Draft(ServiceDb.SubjectPhone));

        // A stranger cannot open the documents; an agent can, and the opening is audited.
        long documentId;
        await using (var db = portal.Factory.CreateDbContext())
        {
            documentId = await db.RelativeDocuments.Where(d => d.ClaimId == claimId).Select(d => d.Id).FirstAsync();
        }

        var stranger = await portal.Factory.SignedInClientAsync("guardian@demo.local");
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync($"/deceased/documents/{documentId}")).StatusCode);
        var staff = await portal.Factory.SignedInClientAsync("agent@demo.local");
        var document = await staff.GetAsync($"/deceased/documents/{documentId}");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("no-store", document.Headers.CacheControl?.ToString());

        // Verified: the documents go, and the claim becomes a request about the deceased with the relative as requester.
        var requestId = (await Deceased.DecideAsync(claimId, agent, verify: true, reason: null))!.Value;
        await using (var db = portal.Factory.CreateDbContext())
        {
            var claim = await db.RelativeClaims.SingleAsync(c => c.Id == claimId);
            Assert.Equal((RelativeClaimStatus.Verified, requestId), (claim.Status, claim.RequestId));
            Assert.Contains("DeathCertificate (PNG", claim.Checked);
            Assert.False(await db.RelativeDocuments.AnyAsync(d => d.ClaimId == claimId));
            var request = await db.Requests.SingleAsync(r => r.Id == requestId);
            var subject = await db.Users.SingleAsync(u => u.Email == "subject@demo.local");
            Assert.Equal((subject.Id, relative, RequesterRelation.Relative, RequestStatus.Open), (request.SubjectId, request.RequesterId, request.Relation, request.Status));
            // The relative hears of it, not the deceased.
            Assert.Contains(await db.OutboxMessages.Where(m => m.RequestId == requestId).Select(m => m.RecipientUserId).ToListAsync(), r => r == relative);
            Assert.DoesNotContain(await db.OutboxMessages.Where(m => m.RequestId == requestId).Select(m => m.RecipientUserId).ToListAsync(), r => r == subject.Id);
            var audited = await db.AuditEvents.Where(e => e.Action.StartsWith("deceased.")).Select(e => e.Details).ToListAsync();
            Assert.Contains(audited, d => d.Contains("\"purged\":\"2\""));
            Assert.DoesNotContain(audited, d => d.Contains(ServiceDb.SubjectPhone) || d.Contains("estate"));
        }

        // Then it is an ordinary request: claimed, approved, and the export goes to the relative.
        var workflow = portal.Factory.Services.GetRequiredService<RequestWorkflow>();
        Assert.True((await workflow.ClaimAsync(requestId, agent)).Succeeded);
        Assert.True((await workflow.ApproveAsync(requestId, agent, null)).Succeeded);
        Assert.Equal(1, await portal.Factory.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync());
        var heir = await portal.Factory.ApiClientAsync("heir@demo.local");
        var export = await heir.GetAsync($"/api/v1/requests/{requestId}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await export.Content.ReadAsByteArrayAsync()));
        Assert.Contains(zip.Entries, e => e.FullName.StartsWith("Photos", StringComparison.OrdinalIgnoreCase) || e.FullName.Contains("photos", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.NotFound, (await (await portal.Factory.ApiClientAsync("guardian@demo.local")).GetAsync($"/api/v1/requests/{requestId}/export")).StatusCode);
    }

    [Fact]
    public async Task What_the_deceased_arranged_while_alive_decides_who_may_be_verified()
    {
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        var minor = await portal.Factory.ActorAsync("minor@demo.local");
        var relative = await RelativeAsync("sibling@demo.local");

        // Nobody: no claim can be verified; refused, the relative reads why and the documents go.
        await Deceased.ArrangeAsync(minor.UserId, LegacyChoice.Nobody, null, null, minor.ForAudit);
        var refusedClaim = await Deceased.SubmitAsync(relative, Draft("minor@demo.local", Kinship.Sibling));
        var nobody = await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.DecideAsync(refusedClaim, agent, verify: true, reason: null));
        Assert.StartsWith("The deceased arranged while alive that nobody", nobody.Key);
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.DecideAsync(refusedClaim, agent, verify: false, reason: " "));
        Assert.Null(await Deceased.DecideAsync(refusedClaim, agent, verify: false, reason: "Your brother arranged that nobody may act on his data."));
        await using (var db = portal.Factory.CreateDbContext())
        {
            Assert.Equal(RelativeClaimStatus.Refused, (await db.RelativeClaims.SingleAsync(c => c.Id == refusedClaim)).Status);
            Assert.False(await db.RelativeDocuments.AnyAsync(d => d.ClaimId == refusedClaim));
            Assert.True(await db.OutboxMessages.AnyAsync(m => m.Template == "relative-refused" && m.RecipientUserId == relative));
        }

        // A named person: only their claim can be verified, and only as the named person.
        await Deceased.ArrangeAsync(minor.UserId, LegacyChoice.NamedPerson, "Wang Fang", "wang.fang@example.com", minor.ForAudit);
        var asSibling = await Deceased.SubmitAsync(relative, Draft("13800000003", Kinship.Sibling, RequestType.Deletion));
        Assert.StartsWith("The deceased named one person", (await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.DecideAsync(asSibling, agent, true, null))).Key);
        var asNamed = await Deceased.SubmitAsync(relative, Draft("13800000003", Kinship.NamedByDeceased, RequestType.Deletion));
        var deletion = await Deceased.DecideAsync(asNamed, agent, true, null);
        await using (var db = portal.Factory.CreateDbContext())
        {
            var request = await db.Requests.SingleAsync(r => r.Id == deletion);
            Assert.Equal((RequestType.Deletion, DeletionScope.WholeAccount, RequesterRelation.Relative), (request.Type, request.DeletionScope, request.Relation));
        }

        // A named person needs the arrangement to exist, and the arrangement a way to recognise them.
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.ArrangeAsync(minor.UserId, LegacyChoice.NamedPerson, "Wang Fang", "not a contact", minor.ForAudit));
    }

    [Fact]
    public async Task A_claim_about_no_account_looks_the_same_to_the_relative_and_cannot_be_verified()
    {
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        var relative = await RelativeAsync("cousin@demo.local");

        var unknown = await Deceased.SubmitAsync(relative, Draft("nobody-here@example.com"));
        Assert.NotEqual(Guid.Empty, unknown);
        Assert.StartsWith("No account matches", (await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.DecideAsync(unknown, agent, true, null))).Key);

        // Bad input is refused with a reason, and nothing is recorded.
        await using var db = portal.Factory.CreateDbContext();
        var before = await db.RelativeClaims.CountAsync();
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.SubmitAsync(relative, Draft("cousin@demo.local")));
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.SubmitAsync(relative, Draft("subject@demo.local") with { DeathCertificate = "not a document"u8.ToArray() }));
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.SubmitAsync(relative, Draft("subject@demo.local") with { Interest = "  " }));
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.SubmitAsync(relative, Draft("subject@demo.local", asked: RequestType.Dispute)));
        Assert.Equal(before, await db.RelativeClaims.CountAsync());

        // A relative cannot make the request through the ordinary intake by naming the relation.
        var workflow = portal.Factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        var self = await portal.Factory.ActorAsync("cousin@demo.local");
        var forged = await workflow.SubmitAsync(new NewRequest { Type = RequestType.Export, SubjectId = subject.UserId, RequesterId = self.UserId, Relation = RequesterRelation.Relative }, self, "session");
        Assert.False(forged.Succeeded);
    }

    [Fact]
    public async Task A_relative_can_ask_a_correction_and_an_arrangement_is_exported_and_goes_with_the_account()
    {
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        var relative = await RelativeAsync("widow@demo.local");

        // A correction names a field from the list and the value asked for; it becomes a correction request.
        await Assert.ThrowsAsync<RequestRuleException>(() => Deceased.SubmitAsync(relative,
            Draft(ServiceDb.GuardianPhone, Kinship.Spouse, RequestType.Correction) with { CorrectionField = "Profile.password", CorrectionValue = "x" }));
        var claim = await Deceased.SubmitAsync(relative,
            Draft(ServiceDb.GuardianPhone, Kinship.Spouse, RequestType.Correction) with { CorrectionField = "Profile.nickname", CorrectionValue = "Chen Wei" });
        var requestId = await Deceased.DecideAsync(claim, agent, true, null);
        await using (var db = portal.Factory.CreateDbContext())
        {
            var item = await db.CorrectionItems.SingleAsync(c => c.RequestId == requestId);
            Assert.Equal(("Profile.nickname", "Chen Wei"), (item.Field, item.ProposedValue));
        }

        // What a user arranged is part of their data: in the export, and gone with the account.
        var user = await portal.Factory.CreateSubjectAsync("arranged@demo.local");
        var actor = new AuditActor(user.Id, "Subject");
        await Deceased.ArrangeAsync(user.Id, LegacyChoice.NamedPerson, "Zhao Min", "zhao.min@example.com", actor);
        var data = portal.Factory.Services.GetRequiredService<DsrPortal.Features.DataSources.PersonalData>();
        var keys = (await data.KeysAsync(user.Id, CancellationToken.None))!;
        var portalSource = data.Sources.Single(s => s.Name == DsrPortal.Features.DataSources.PortalDataSource.SourceName);
        var rows = new Rows();
        await portalSource.ReadAsync(keys, DsrPortal.Features.DataSources.PortalDataSource.AfterDeath, rows, CancellationToken.None);
        Assert.Equal(["NamedPerson", "Zhao Min", "zhao.min@example.com"], rows.All.Single().Take(3));
        foreach (var step in await portalSource.PlanErasureAsync(keys, null, CancellationToken.None))
        {
            await portalSource.EraseAsync(step, CancellationToken.None);
        }

        await using (var after = portal.Factory.CreateDbContext())
        {
            Assert.False(await after.LegacyArrangements.AnyAsync(a => a.UserId == user.Id));
        }

        // A claim a person made as a relative is their data too: in their export in their own words, and when their
        // account goes, its words and papers go while the decision's codes stay.
        var claimant = await RelativeAsync("claimant@demo.local");
        var made = await Deceased.SubmitAsync(claimant, Draft(ServiceDb.GuardianPhone, Kinship.Parent));
        var claimantKeys = (await data.KeysAsync(claimant, CancellationToken.None))!;
        var claimRows = new Rows();
        await portalSource.ReadAsync(claimantKeys, DsrPortal.Features.DataSources.PortalDataSource.RelativeClaims, claimRows, CancellationToken.None);
        Assert.Equal(["Parent", "Export", "I settle my father's estate and need his records."], claimRows.All.Single().Skip(1).Take(3));
        foreach (var step in await portalSource.PlanErasureAsync(claimantKeys, null, CancellationToken.None))
        {
            await portalSource.EraseAsync(step, CancellationToken.None);
        }

        await using var erased = portal.Factory.CreateDbContext();
        var kept = await erased.RelativeClaims.SingleAsync(c => c.Id == made);
        Assert.Equal(("", Kinship.Parent), (kept.Interest, kept.Kinship));
        Assert.False(await erased.RelativeDocuments.AnyAsync(d => d.ClaimId == made));
    }

    private sealed class Rows : DsrPortal.Features.DataSources.IRecordSink
    {
        public List<object?[]> All { get; } = [];

        public ValueTask BeginAsync(IReadOnlyList<string> columns) => ValueTask.CompletedTask;

        public ValueTask WriteAsync(object?[] values, string? mediaPath)
        {
            All.Add([.. values]);
            return ValueTask.CompletedTask;
        }
    }
}
