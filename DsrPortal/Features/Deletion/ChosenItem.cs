using DsrPortal.Data;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.Deletion;

/// <summary>One record a subject picked to delete (a photo, a post, a comment): its category and its id in the source, nothing of its content.</summary>
public sealed class ChosenItem
{
    public const int MaxPerRequest = 500;
    public const int IdMaxLength = 64;

    private ChosenItem()
    {
    }

    public long Id { get; private set; }

    public Guid RequestId { get; private set; }

    public string Source { get; private set; } = "";

    public string Category { get; private set; } = "";

    public string ItemId { get; private set; } = "";

    public static ChosenItem For(Guid requestId, string source, string category, string itemId) =>
        new() { RequestId = requestId, Source = source, Category = category, ItemId = itemId };
}

internal sealed class ChosenItemConfiguration : IEntityTypeConfiguration<ChosenItem>
{
    public void Configure(EntityTypeBuilder<ChosenItem> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(c => c.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.RequestId);
        builder.Property(c => c.Source).HasMaxLength(64);
        builder.Property(c => c.Category).HasMaxLength(64);
        builder.Property(c => c.ItemId).HasMaxLength(ChosenItem.IdMaxLength);
    }
}

/// <summary>
/// The records a subject picks to delete, from lists of their own content: listed from the source that holds each
/// category, checked to be the subject's own when the request is made, and planned for erasure by id when it is carried out.
/// </summary>
internal sealed class ChosenItems(PersonalData data)
{
    public const int PageSize = 12;

    /// <summary>The categories the subject can pick from, in inventory order, with the source holding each.</summary>
    public IReadOnlyList<(DataInventory.Category Category, IPersonalDataSource Source)> Categories() =>
        [.. data.ExportableCategories().Where(c => c.Source.ItemCategories.Contains(c.Category.Code))];

    public async Task<IReadOnlyList<PersonalItem>> ListAsync(string subjectId, string category, string? after, CancellationToken cancellationToken)
    {
        var keys = await data.KeysAsync(subjectId, cancellationToken);
        return keys is null || SourceOf(category) is not { } source ? [] : await source.ListItemsAsync(keys, category, after, PageSize, cancellationToken);
    }

    /// <summary>One of the subject's own items (for its preview), or null: anyone else's is never found.</summary>
    public async Task<PersonalItem?> FindAsync(string subjectId, string category, string id, CancellationToken cancellationToken)
    {
        var keys = await data.KeysAsync(subjectId, cancellationToken);
        return keys is null || SourceOf(category) is not { } source || id.Length > ChosenItem.IdMaxLength
            ? null
            : (await source.FindItemsAsync(keys, category, [id], cancellationToken)).SingleOrDefault();
    }

    /// <summary>The request's picks, checked against the sources now: every one must be the subject's own and still there.</summary>
    public async Task<IReadOnlyList<(string Source, ItemChoice Choice)>> PrepareAsync(NewRequest details, CancellationToken cancellationToken)
    {
        if (details.Type != RequestType.Deletion || details.DeletionScope != DeletionScope.SelectedItems || details.Items is not { Count: > 0 } items)
        {
            return [];
        }

        var keys = await data.KeysAsync(details.SubjectId, cancellationToken);
        var prepared = new List<(string, ItemChoice)>();
        foreach (var group in items.Distinct().GroupBy(i => i.Category))
        {
            var source = SourceOf(group.Key);
            Require(source is not null, "Choose the items to delete from your lists.");
            var ids = group.Select(i => i.Id).ToList();
            var found = keys is null ? [] : await source!.FindItemsAsync(keys, group.Key, ids, cancellationToken);
            Require(found.Count == ids.Count, "Some of the chosen items are no longer there. Reload your lists and choose again.");
            prepared.AddRange(ids.Select(id => (source!.Name, new ItemChoice(group.Key, id))));
        }

        return prepared;
    }

    /// <summary>The erasure steps for a request's picks, per category from its source; items gone meanwhile are left out.</summary>
    public async Task<IReadOnlyList<ErasureStep>> PlanAsync(ApplicationDbContext db, SubjectKeys keys, Guid requestId, CancellationToken cancellationToken)
    {
        var chosen = await db.ChosenItems.AsNoTracking().Where(c => c.RequestId == requestId).ToListAsync(cancellationToken);
        var steps = new List<ErasureStep>();
        foreach (var group in chosen.GroupBy(c => (c.Source, c.Category)).OrderBy(g => g.Key.Source).ThenBy(g => g.Key.Category))
        {
            steps.AddRange(await data.Source(group.Key.Source).PlanItemErasureAsync(keys, group.Key.Category, [.. group.Select(c => c.ItemId)], cancellationToken));
        }

        return steps;
    }

    private IPersonalDataSource? SourceOf(string category) => data.Sources.FirstOrDefault(s => s.ItemCategories.Contains(category));
}
