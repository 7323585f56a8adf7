using DsrPortal.Features.DataSources;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>An export reads each category of a person's data once, however many files it writes from it.</summary>
public sealed class ExportReadPassTests : IAsyncLifetime
{
    private readonly SourceCues cues = new();
    private readonly PortalFactory factory;

    public ExportReadPassTests() =>
        factory = new PortalFactory(
            new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" },
            new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)),
            services => SourceCues.Wrap(services, cues));

    public Task InitializeAsync()
    {
        _ = factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Each_category_is_read_once_for_its_JSON_its_CSV_and_its_media()
    {
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await factory.ActorAsync("subject@demo.local");
        var agent = await factory.ActorAsync("agent@demo.local");
        var id = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.ClaimAsync(id, agent);
        await workflow.ApproveAsync(id, agent, null);
        var before = cues.Reads;

        Assert.Equal(1, await factory.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync());

        var categories = factory.Services.GetRequiredService<PersonalData>().ExportableCategories().Count;
        Assert.True(categories > 5);
        Assert.Equal(categories, cues.Reads - before);
        using var zip = System.IO.Compression.ZipFile.OpenRead(Assert.Single(Directory.GetFiles(Path.Combine(factory.Folder, "exports"))));
        Assert.Contains(zip.Entries, e => e.FullName.StartsWith("media/Photos/", StringComparison.Ordinal));
        Assert.Contains(zip.Entries, e => e.FullName == "data/Photos.csv");
    }
}
