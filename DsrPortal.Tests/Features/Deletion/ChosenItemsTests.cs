using System.Globalization;
using System.Net;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Deletion;

/// <summary>
/// Deleting chosen records (policy clause 1.3): picked from the subject's own lists, checked to be theirs, deleted by id
/// through the service database's connector with their photo files, and nothing else of theirs or anyone else's touched.
/// </summary>
public sealed class ChosenItemsTests(ChosenItemsTests.Portal portal) : IClassFixture<ChosenItemsTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" });

    private PortalFactory Factory => portal.Factory;

    private RequestWorkflow Workflow => Factory.Services.GetRequiredService<RequestWorkflow>();

    private ChosenItems Items => Factory.Services.GetRequiredService<ChosenItems>();

    private List<string> Ids(string table, long userId) =>
        [.. Factory.Rows($"SELECT id FROM {table} WHERE user_id = @v ORDER BY id DESC", userId).Select(r => Convert.ToString(r["id"], CultureInfo.InvariantCulture)!)];

    [Fact]
    public async Task Chosen_photos_and_a_comment_are_deleted_with_their_files_and_everything_else_stays()
    {
        var subject = await Factory.ActorAsync("subject@demo.local");
        var agent = await Factory.ActorAsync("agent@demo.local");
        var serviceId = Factory.UserId(ServiceDb.SubjectPhone);
        var photos = Ids("photos", serviceId);
        var comments = Ids("comments", serviceId);
        Assert.True(photos.Count >= 3 && comments.Count >= 2, "The demo subject needs photos and comments.");

        // The list is the subject's own, newest first, a page at a time, each photo with its file.
        var listed = await Items.ListAsync(subject.UserId, "Photos", null, CancellationToken.None);
        Assert.Equal(photos.Take(ChosenItems.PageSize), listed.Select(i => i.Id));
        Assert.All(listed, i => Assert.True(File.Exists(i.MediaPath)));
        Assert.Contains(Items.Categories(), c => c.Category.Code == "Comments");

        var chosenPhotos = photos.Take(2).ToList();
        var files = chosenPhotos.Select(id => Path.Combine(Factory.MediaFolder, (string)Factory.ServiceScalar("SELECT file_name FROM photos WHERE id = @v", long.Parse(id, CultureInfo.InvariantCulture))!)).ToList();
        var keptFile = Path.Combine(Factory.MediaFolder, (string)Factory.ServiceScalar("SELECT file_name FROM photos WHERE id = @v", long.Parse(photos[2], CultureInfo.InvariantCulture))!);
        var request = (await Workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.SelectedItems,
            Items = [.. chosenPhotos.Select(id => new ItemChoice("Photos", id)), new ItemChoice("Comments", comments[0])],
        }, subject, "session")).Request!;
        Assert.Equal(3, request.ChosenItems);
        Assert.True(FulfilmentScheduler.IsAutomated(request));

        // The preview names exactly what will go: two photos, one comment.
        var preview = await Factory.Services.GetRequiredService<ErasureFulfilment>().PreviewAsync(request, CancellationToken.None);
        Assert.Equal([("Comments", 1L), ("Photos", 2L)], preview.Select(s => (s.Category, s.Rows)).OrderBy(s => s.Category));

        Assert.True((await Workflow.ClaimAsync(request.Id, agent)).Succeeded);
        Assert.True((await Workflow.ApproveAsync(request.Id, agent, null)).Succeeded);
        Assert.Equal(1, await Factory.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync());

        Assert.Equal(photos.Skip(2), Ids("photos", serviceId));
        Assert.Equal(comments.Skip(1), Ids("comments", serviceId));
        Assert.All(files, f => Assert.False(File.Exists(f)));
        Assert.True(File.Exists(keptFile));
        await using var db = Factory.CreateDbContext();
        Assert.Equal(RequestStatus.Completed, (await db.Requests.SingleAsync(r => r.Id == request.Id)).Status);
    }

    [Fact]
    public async Task Someone_elses_item_is_refused_at_the_request_and_never_shown_or_deleted()
    {
        var subject = await Factory.ActorAsync("subject@demo.local");
        var othersPhoto = Ids("photos", Factory.UserId(ServiceDb.GuardianPhone))[0];
        var before = Factory.ServiceScalar("SELECT COUNT(*) FROM photos");

        var result = await Workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.SelectedItems,
            Items = [new ItemChoice("Photos", othersPhoto)],
        }, subject, "session");
        Assert.Equal("Some of the chosen items are no longer there. Reload your lists and choose again.", result.Error?.Key);

        // Bad picks are refused by the shared rules too: an unknown category, too many, none at all.
        foreach (var (items, key) in new (ItemChoice[]? Items, string Key)[]
        {
            ([new ItemChoice("Passwords", "1")], "Choose the items to delete from your lists."),
            ([.. Enumerable.Range(1, ChosenItem.MaxPerRequest + 1).Select(i => new ItemChoice("Photos", i.ToString(CultureInfo.InvariantCulture)))], "Choose at most 500 items in one request."),
            (null, "Choose the items to delete from your lists, or describe them (for example the date and text of a comment)."),
        })
        {
            var refused = await Workflow.SubmitAsync(new NewRequest
            {
                Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.SelectedItems, Items = items,
            }, subject, "session");
            Assert.Equal(key, refused.Error?.Key);
        }

        Assert.Equal(before, Factory.ServiceScalar("SELECT COUNT(*) FROM photos"));
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(0, await db.ChosenItems.CountAsync(c => c.ItemId == othersPhoto));
        }

        // The preview of a photo is its owner's alone: anyone else gets nothing, whatever id or ward they name.
        var mine = Ids("photos", Factory.UserId(ServiceDb.SubjectPhone))[0];
        var owner = await Factory.SignedInClientAsync("subject@demo.local");
        var own = await owner.GetAsync($"/my-data/items/preview?category=Photos&id={mine}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("image/png", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/my-data/items/preview?category=Photos&id={othersPhoto}")).StatusCode);
        var guardian = await Factory.ActorAsync("guardian@demo.local");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/my-data/items/preview?category=Photos&id={othersPhoto}&for={guardian.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/my-data/items/preview?category=Photos&id=1%20OR%201=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/my-data/items/preview?category=..%2F..&id={mine}")).StatusCode);
    }
}
