using System.Net.Http.Json;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Corrections;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>A correction decided field by field: the accepted fields change in the service database, nothing else does.</summary>
public sealed class CorrectionTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });
    private RequestActor subject = null!;
    private RequestActor agent = null!;

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Only_the_accepted_fields_change_and_the_requester_is_told_field_by_field()
    {
        const string Profile = "SELECT nickname, gender, constellation FROM users WHERE phone = @v";
        var neighbourBefore = factory.Rows(Profile, ServiceDb.GuardianPhone).Single();
        var result = await Workflow.SubmitAsync(Correction(new() { ["Profile.nickname"] = "Lin Xiaoyu", ["Profile.constellation"] = "Scorpio" }), subject, "Signed-in session");
        var id = result.Request!.Id;

        await using (var db = factory.CreateDbContext())
        {
            var asked = await db.CorrectionItems.Where(c => c.RequestId == id).OrderBy(c => c.Field).ToListAsync();
            Assert.Equal(["Profile.constellation", "Profile.nickname"], asked.Select(c => c.Field));
            Assert.Equal(["Libra", "Lin"], asked.Select(c => c.ValueWhenAsked));
        }

        Assert.True((await Workflow.ClaimAsync(id, agent)).Succeeded);
        Assert.Equal(WorkflowErrorKind.Rule, (await Workflow.ApproveAsync(id, agent, null)).Error?.Kind);
        var items = await ItemsAsync(id);
        var nickname = items.Single(i => i.Field == "Profile.nickname").Id;
        var constellation = items.Single(i => i.Field == "Profile.constellation").Id;

        // A refusal without a reason is refused, and nothing has been applied.
        var noReason = await factory.Services.GetRequiredService<CorrectionWorkflow>().DecideAsync(id, [new(nickname, true, null), new(constellation, false, " ")], agent, null);
        Assert.Equal("Give the reason for every field you refuse: the requester is told.", noReason.Error?.Key);
        Assert.Equal("Lin", factory.Rows(Profile, ServiceDb.SubjectPhone).Single()["nickname"]);

        var decided = await factory.Services.GetRequiredService<CorrectionWorkflow>().DecideAsync(id,
            [new(nickname, true, null), new(constellation, false, "Your registration record shows Libra; send a photo of your ID to change it.")], agent, null);
        Assert.True(decided.Succeeded, decided.Error?.Key);

        var after = factory.Rows(Profile, ServiceDb.SubjectPhone).Single();
        Assert.Equal("Lin Xiaoyu", after["nickname"]);
        Assert.Equal("Libra", after["constellation"]);
        Assert.Equal("Female", after["gender"]);
        Assert.Equal(neighbourBefore, factory.Rows(Profile, ServiceDb.GuardianPhone).Single());

        await using var check = factory.CreateDbContext();
        var request = await check.Requests.SingleAsync(r => r.Id == id);
        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Contains("Nickname: changed to \"Lin Xiaoyu\".", request.OutcomeNote);
        Assert.Contains("Constellation: not changed. Your registration record shows Libra", request.OutcomeNote);
        Assert.Equal("Lin", (await check.Users.SingleAsync(u => u.Id == subject.UserId)).Nickname);
        Assert.Equal([CorrectionDecision.Refused, CorrectionDecision.Accepted], (await ItemsAsync(id)).OrderBy(i => i.Field).Select(i => i.Decision));
        Assert.Contains(await check.OutboxMessages.Where(m => m.RequestId == id).Select(m => m.Template).ToListAsync(), t => t == "request-corrected");
        var audits = await check.AuditEvents.Where(e => e.RequestId == id && e.Action == AuditActions.CorrectionDecided).Select(e => e.Details).ToListAsync();
        Assert.Equal(2, audits.Count);
        Assert.All(audits, d => Assert.DoesNotContain("Lin Xiaoyu", d));

        // The mobile app reads the same decisions, field by field; nobody else can.
        var api = await factory.ApiClientAsync("subject@demo.local");
        var fields = await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/requests/{id}/corrections");
        var nicknameField = fields.EnumerateArray().Single(f => f.GetProperty("field").GetString() == "Profile.nickname");
        Assert.Equal(("Accepted", "App profile · Nickname", "Lin"), (nicknameField.GetProperty("decision").GetString(), nicknameField.GetProperty("label").GetString(), nicknameField.GetProperty("valueWhenAsked").GetString()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await (await factory.ApiClientAsync("guardian@demo.local")).GetAsync($"/api/v1/requests/{id}/corrections")).StatusCode);
    }

    [Fact]
    public async Task A_field_not_on_the_list_is_refused_with_a_clear_message()
    {
        var result = await Workflow.SubmitAsync(Correction(new() { ["Profile.phone"] = "13900000000" }), subject, "Signed-in session");

        Assert.Equal("Choose the fields to correct from the list.", result.Error?.Key);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Requests.AnyAsync(r => r.Type == RequestType.Correction));
    }

    private NewRequest Correction(Dictionary<string, string> fields) => new()
    {
        Type = RequestType.Correction, SubjectId = subject.UserId, RequesterId = subject.UserId, Corrections = fields,
    };

    private async Task<List<CorrectionItem>> ItemsAsync(Guid id)
    {
        await using var db = factory.CreateDbContext();
        return await db.CorrectionItems.AsNoTracking().Where(c => c.RequestId == id).ToListAsync();
    }
}
