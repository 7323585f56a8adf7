using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>The request pages as served: who sees what, by guessing ids or not.</summary>
public sealed class RequestPagesTests(RequestPagesTests.Portal portal) : IClassFixture<RequestPagesTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    private async Task<DataSubjectRequest> SubmitForSubjectAsync()
    {
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        return (await portal.Factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "session")).Request!;
    }

    [Fact]
    public async Task The_owner_sees_the_request_and_another_subject_gets_not_found_even_with_the_id()
    {
        var request = await SubmitForSubjectAsync();
        var reference = (await portal.Factory.CreateDbContext().Requests.FindAsync(request.Number))!.Reference;

        var owner = await (await portal.Factory.SignedInClientAsync("subject@demo.local")).GetStringAsync($"/requests/{request.Id}");
        var strangerResponse = await (await portal.Factory.SignedInClientAsync("guardian@demo.local")).GetAsync($"/requests/{request.Id}");
        var stranger = await strangerResponse.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, strangerResponse.StatusCode);
        Assert.Contains(reference, owner);
        Assert.DoesNotContain(reference, stranger);
        Assert.DoesNotContain(reference, await (await portal.Factory.SignedInClientAsync("guardian@demo.local")).GetStringAsync("/requests"));
    }

    [Fact]
    public async Task A_second_request_of_the_same_kind_is_flagged_to_the_agent_with_a_link_to_the_first()
    {
        var first = await SubmitForSubjectAsync();
        var second = await SubmitForSubjectAsync();
        var agent = await portal.Factory.SignedInClientAsync("agent@demo.local");

        var page = FormPoster.Parse(await agent.GetStringAsync($"/queue/{second.Id}"));

        var links = page.QuerySelectorAll("[data-testid=duplicate-link]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"queue/{first.Id}", links);
        Assert.DoesNotContain($"queue/{second.Id}", links);
    }

    [Fact]
    public async Task An_agent_sees_the_requester_masked_until_revealing()
    {
        var request = await SubmitForSubjectAsync();

        var page = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetStringAsync($"/queue/{request.Id}"));

        Assert.Equal("s***@demo.local", page.QuerySelector("[data-testid=requester-email]")!.TextContent);
        Assert.Equal("138****0001", page.QuerySelector("[data-testid=requester-phone]")!.TextContent);
        Assert.DoesNotContain("13800000001", page.Body!.TextContent);
    }

    [Fact]
    public async Task The_deletion_preview_speaks_to_the_subject_of_data_in_plain_words_and_to_staff_of_its_fields()
    {
        var subject = await portal.Factory.ActorAsync("guardian@demo.local");
        var request = (await portal.Factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DsrPortal.Features.Requests.DeletionScope.WholeAccount,
        }, subject, "session")).Request!;

        var mine = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("guardian@demo.local")).GetStringAsync($"/requests/{request.Id}"));
        var preview = mine.QuerySelector("[data-testid=erasure-preview]")!;
        Assert.Contains("Deleted", preview.TextContent);
        foreach (var column in new[] { "password", "mobile_phone", "date_of_birth" })
        {
            Assert.DoesNotContain(column, preview.TextContent);
        }

        // A "legal basis" column only when something is kept, and then never empty throughout.
        var headers = preview.QuerySelectorAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        var basis = headers.IndexOf("Legal basis for keeping it");
        var cells = preview.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("td").ElementAtOrDefault(basis)?.TextContent.Trim() ?? "").ToList();
        Assert.True(basis < 0 || cells.Any(c => c.Length > 0), "a legal basis column with nothing in it");

        var staff = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetStringAsync($"/queue/{request.Id}"));
        Assert.Contains("password", staff.QuerySelector("[data-testid=erasure-preview]")!.TextContent);
        // Each reads the outcome about the right person: the requester about themselves, staff about the subject.
        Assert.StartsWith("Your portal account", mine.QuerySelector("[data-testid=erasure-preview-kept]")!.TextContent.Trim());
        Assert.StartsWith("The subject's portal account", staff.QuerySelector("[data-testid=erasure-preview-kept]")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_overdue_request_apologises_instead_of_promising_soon_and_only_staff_read_the_deadline_rules()
    {
        var subject = await portal.Factory.ActorAsync("subject@demo.local");
        var request = (await portal.Factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(new NewRequest
        {
            Type = RequestType.Dispute, SubjectId = subject.UserId, RequesterId = subject.UserId,
            DisputeSubject = DisputeSubject.Advertising, Description = "Stop the ads.",
        }, subject, "session")).Request!;
        Assert.Equal(RequestStatus.Open, request.Status);
        await using (var db = portal.Factory.CreateDbContext())
        {
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
                db.Requests.Where(r => r.Id == request.Id), set => set.SetProperty(r => r.DueAt, DateTimeOffset.UtcNow.AddDays(-2)));
        }

        var client = await portal.Factory.SignedInClientAsync("subject@demo.local");
        var page = FormPoster.Parse(await client.GetStringAsync($"/requests/{request.Id}"));
        var next = page.QuerySelector("[data-testid=next-step]")!.TextContent;
        Assert.Contains("we are sorry", next);
        Assert.DoesNotContain("soon", next);
        Assert.DoesNotContain("Deadline rules", page.Body!.TextContent);
        Assert.Contains("we are sorry", await client.GetStringAsync("/requests"));

        var staff = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetStringAsync($"/queue/{request.Id}"));
        Assert.Contains("Deadline rules: CN", staff.Body!.TextContent);
    }

    [Fact]
    public async Task Staff_land_on_their_days_work_and_subjects_on_their_welcome()
    {
        var request = await SubmitForSubjectAsync();
        var agent = await portal.Factory.ActorAsync("agent@demo.local");
        await portal.Factory.Services.GetRequiredService<RequestWorkflow>().ClaimAsync(request.Id, agent);
        await using var db = portal.Factory.CreateDbContext();
        var mine = db.Requests.Count(r => r.AssigneeId == agent.UserId && r.ClosedAt == null);

        var home = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("agent@demo.local")).GetStringAsync("/"));
        Assert.Equal("Today's work", home.QuerySelector("h1")!.TextContent.Trim());
        var figure = home.QuerySelector("[data-testid=figure-mine]")!;
        Assert.Equal(mine.ToString(System.Globalization.CultureInfo.InvariantCulture), figure.QuerySelector(".mud-typography-h3")!.TextContent.Trim());
        Assert.Equal("queue?assignee=Me", figure.GetAttribute("href"));
        Assert.Null(home.QuerySelector("[data-testid=welcome]"));

        var subjectHome = FormPoster.Parse(await (await portal.Factory.SignedInClientAsync("subject@demo.local")).GetStringAsync("/"));
        Assert.NotNull(subjectHome.QuerySelector("[data-testid=welcome]"));
        Assert.Null(subjectHome.QuerySelector("[data-testid=staff-home]"));
    }
}
