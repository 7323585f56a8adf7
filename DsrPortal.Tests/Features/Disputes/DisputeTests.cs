using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Disputes;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Disputes;

/// <summary>Clause 7: negotiation to a settlement or to an unresolved notice, on a real database and a frozen clock.</summary>
public sealed class DisputeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    public DisputeTests() => factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    private DisputeWorkflow Disputes => factory.Services.GetRequiredService<DisputeWorkflow>();

    private DisputeEvidence Evidence => factory.Services.GetRequiredService<DisputeEvidence>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_dispute_about_a_refused_deletion_settles_and_the_settlement_starts_a_deletion_carried_out_as_usual()
    {
        var refused = await SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId,
            DeletionScope = DeletionScope.SelectedCategories, Categories = [DataCategory.Photos],
        });
        await Workflow.ClaimAsync(refused, agent);
        Assert.True((await Workflow.RefuseAsync(refused, RefusalReason.ServiceSecurity, "Photos are needed to investigate a report.", agent, null)).Succeeded);

        var dispute = await SubmitAsync(new NewRequest
        {
            Type = RequestType.Dispute, SubjectId = subject.UserId, RequesterId = subject.UserId, DisputeSubject = DisputeSubject.EarlierRequest,
            RelatedRequestId = refused, Description = "The investigation is over; I want my photos deleted.",
        });
        await Workflow.ClaimAsync(dispute, agent);
        Assert.Equal(WorkflowErrorKind.Rule, (await Workflow.ApproveAsync(dispute, agent, null)).Error?.Kind);
        Assert.True((await Disputes.ProposeAsync(dispute, "We will delete all your photos now that the investigation has closed.", DeletionScope.SelectedCategories, [DataCategory.Photos], agent, null)).Succeeded);
        Assert.Equal(RequestStatus.AwaitingRequester, (await LoadAsync(dispute)).Status);

        // Only the requester answers; someone else cannot even see the dispute.
        var guardian = await factory.ActorAsync("guardian@demo.local");
        Assert.Equal(WorkflowErrorKind.NotFound, (await Disputes.AnswerProposalAsync(dispute, true, null, guardian)).Error?.Kind);
        Assert.True((await Disputes.AnswerProposalAsync(dispute, true, null, subject)).Succeeded);

        var settled = await LoadAsync(dispute);
        Assert.Equal((RequestStatus.Completed, DisputeOutcome.Settled), (settled.Status, settled.Outcome));
        Assert.Equal("We will delete all your photos now that the investigation has closed.", settled.OutcomeNote);
        await using var db = factory.CreateDbContext();
        var proposal = await db.DisputeProposals.SingleAsync(p => p.RequestId == dispute);
        Assert.Equal(ProposalStatus.Accepted, proposal.Status);
        var deletion = await db.Requests.SingleAsync(r => r.Id == proposal.LinkedRequestId);
        Assert.Equal((RequestType.Deletion, RequestStatus.Open, dispute, "Photos"), (deletion.Type, deletion.Status, deletion.RelatedRequestId, deletion.Categories));
        Assert.Contains(await db.OutboxMessages.Where(m => m.RequestId == dispute).Select(m => m.Template).ToListAsync(), t => t == "dispute-proposal");

        // The linked deletion goes through the queue like any other, and the photos go.
        var serviceId = factory.UserId(ServiceDb.SubjectPhone);
        Assert.True(factory.CountForUserId("photos", serviceId) > 0);
        await Workflow.ClaimAsync(deletion.Id, agent);
        await Workflow.ApproveAsync(deletion.Id, agent, null);
        await factory.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync();
        Assert.Equal(0, factory.CountForUserId("photos", serviceId));
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task An_unresolved_dispute_ends_with_a_notice_in_the_requesters_language_and_a_record_only_they_can_download()
    {
        var dispute = await SubmitAsync(new NewRequest
        {
            Type = RequestType.Dispute, SubjectId = subject.UserId, RequesterId = subject.UserId, DisputeSubject = DisputeSubject.Advertising,
            Description = "Stop using my reading records for ads.",
        });
        // Evidence is checked by content: a text file named like a PDF is refused.
        Assert.Equal("A document was refused: upload a PDF, JPEG or PNG file of at most 5 MB for each.",
            (await Evidence.AddAsync(dispute, "ad-screenshot.pdf", "just text"u8.ToArray(), subject)).Error?.Key);
        Assert.True((await Evidence.AddAsync(dispute, "ad screenshot (1).png", SampleDocuments.Png, subject)).Succeeded);
        long evidenceId;
        await using (var db = factory.CreateDbContext())
        {
            evidenceId = (await db.RequestAttachments.SingleAsync(a => a.RequestId == dispute)).Id;
        }

        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.SignedInClientAsync("guardian@demo.local")).GetAsync($"/requests/{dispute}/evidence/{evidenceId}")).StatusCode);
        var opened = await (await factory.SignedInClientAsync("agent@demo.local")).GetAsync($"/requests/{dispute}/evidence/{evidenceId}");
        Assert.Equal(("image/png", (long?)SampleDocuments.Png.Length), (opened.Content.Headers.ContentType?.MediaType, opened.Content.Headers.ContentLength));

        await Workflow.ClaimAsync(dispute, agent);
        await Disputes.ProposeAsync(dispute, "We will stop personalised ads but keep reading records for 6 months.", null, [], agent, null);
        Assert.True((await Disputes.AnswerProposalAsync(dispute, false, "I want the reading records gone too.", subject)).Succeeded);
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(dispute)).Status);

        await using (var db = factory.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == subject.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PreferredCulture, "zh-CN"));
        }

        Assert.Equal(WorkflowErrorKind.Rule, (await Disputes.CloseUnresolvedAsync(dispute, " ", agent, null)).Error?.Kind);
        Assert.True((await Disputes.CloseUnresolvedAsync(dispute, "We cannot delete reading records before the six months the law requires.", agent, null)).Succeeded);

        var closed = await LoadAsync(dispute);
        Assert.Equal((RequestStatus.Completed, DisputeOutcome.Unresolved), (closed.Status, closed.Outcome));
        Assert.Contains("人民法院", closed.OutcomeNote);
        Assert.Contains("国家互联网信息办公室", closed.OutcomeNote);
        Assert.Contains("We cannot delete reading records before the six months the law requires.", closed.OutcomeNote);

        var response = await (await factory.SignedInClientAsync("subject@demo.local")).GetAsync($"/requests/{dispute}/dispute-record");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var record = await new StreamReader(zip.GetEntry("record.html")!.Open()).ReadToEndAsync();
        Assert.Contains("We will stop personalised ads but keep reading records for 6 months.", record);
        Assert.Contains("I want the reading records gone too.", record);
        Assert.Contains("人民法院", record);
        Assert.Contains("adscreenshot1.png", record);
        Assert.Equal(SampleDocuments.Png.Length, zip.GetEntry("documents/1-adscreenshot1.png")!.Length);

        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.SignedInClientAsync("guardian@demo.local")).GetAsync($"/requests/{dispute}/dispute-record")).StatusCode);
        await using var check = factory.CreateDbContext();
        Assert.Contains(await check.OutboxMessages.Where(m => m.RequestId == dispute).Select(m => m.Template).ToListAsync(), t => t == "dispute-unresolved");
        Assert.Equal(1, await check.AuditEvents.CountAsync(e => e.RequestId == dispute && e.Action == AuditActions.DisputeRecordDownloaded));
    }

    [Fact]
    public async Task Either_side_can_escalate_once_and_the_worker_escalates_disputes_near_their_deadline()
    {
        var asked = await SubmitAsync(Dispute());
        Assert.True((await Disputes.EscalateAsync(asked, "The agent is not answering my point.", subject)).Succeeded);
        Assert.Equal("This dispute has already been escalated to a supervisor.", (await Disputes.EscalateAsync(asked, "Again", agent)).Error?.Key);

        var quiet = await SubmitAsync(Dispute());
        Assert.Equal(0, await Disputes.EscalateDisputesNearDeadlineAsync());
        clock.Advance((await LoadAsync(quiet)).DueAt - clock.GetUtcNow() - TimeSpan.FromDays(2));

        Assert.Equal(1, await Disputes.EscalateDisputesNearDeadlineAsync());
        var escalated = await LoadAsync(quiet);
        Assert.Equal("The deadline is near.", escalated.EscalationReason);

        // Supervisors see them on the dashboard, and the figure's link lists exactly those.
        var dashboard = await factory.Services.GetRequiredService<DsrPortal.Features.Reports.ReportService>().DashboardAsync(clock.GetUtcNow());
        Assert.Equal(2, dashboard.EscalatedDisputes);
        await using var db = factory.CreateDbContext();
        var listed = await DsrPortal.Features.Queue.QueueQuery.Filter(db.Requests, new DsrPortal.Features.Queue.QueueFilter { EscalatedOnly = true }, agent.UserId, clock.GetUtcNow())
            .Select(r => r.Id).ToListAsync();
        Assert.Equal(new[] { asked, quiet }.Order(), listed.Order());
    }

    [Fact]
    public async Task A_wave_of_disputes_near_their_deadline_is_escalated_in_one_round_each_audited_once()
    {
        var wave = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            wave.Add(await SubmitAsync(Dispute()));
        }

        clock.Advance((await LoadAsync(wave[^1])).DueAt - clock.GetUtcNow() - TimeSpan.FromDays(2));

        Assert.Equal(30, await Disputes.EscalateDisputesNearDeadlineAsync());
        Assert.Equal(0, await Disputes.EscalateDisputesNearDeadlineAsync());
        await using var db = factory.CreateDbContext();
        foreach (var id in wave)
        {
            Assert.Equal("The deadline is near.", (await LoadAsync(id)).EscalationReason);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.RequestId == id && e.Action == AuditActions.DisputeEscalated));
        }

        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task The_mobile_app_reads_and_answers_a_proposal_and_downloads_the_record()
    {
        var api = await factory.ApiClientAsync("subject@demo.local");
        var created = await api.PostAsJsonAsync("/api/v1/requests", new { type = "Dispute", details = new { disputeSubject = "Sharing", description = "Who got my data?" } });
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        await Workflow.ClaimAsync(id, agent);
        await Disputes.ProposeAsync(id, "We will send you the list of recipients and stop sharing.", null, [], agent, null);

        var proposals = await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/requests/{id}/proposals");
        Assert.Equal("Open", proposals[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/requests/{id}/proposal/answer", new { comment = "?" })).StatusCode);
        var stranger = await factory.ApiClientAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/requests/{id}/proposals")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/requests/{id}/proposal/answer", new { accept = true })).StatusCode);

        var answered = await api.PostAsJsonAsync($"/api/v1/requests/{id}/proposal/answer", new { accept = true });
        var body = await answered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(("Completed", "Settled"), (body.GetProperty("status").GetString(), body.GetProperty("disputeOutcome").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/requests/{id}/escalate", new { reason = "Too late" })).StatusCode);
        var record = await api.GetAsync($"/api/v1/requests/{id}/dispute-record");
        Assert.Equal(("application/zip", HttpStatusCode.OK), (record.Content.Headers.ContentType?.MediaType, record.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/requests/{id}/dispute-record")).StatusCode);
    }

    private NewRequest Dispute() => new()
    {
        Type = RequestType.Dispute, SubjectId = subject.UserId, RequesterId = subject.UserId, DisputeSubject = DisputeSubject.CrowdPortraits,
        Description = "Stop building crowd portraits from my data.",
    };

    private async Task<Guid> SubmitAsync(NewRequest request)
    {
        var result = await Workflow.SubmitAsync(request, subject, "Signed-in session");
        Assert.True(result.Succeeded, result.Error?.Key);
        return result.Request!.Id;
    }

    private async Task<DataSubjectRequest> LoadAsync(Guid id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
