using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.DataSources;

/// <summary>A category of the inventory and how many records of it a subject has (null: no source holds it).</summary>
internal sealed record Holding(DataInventory.Category Category, long? Count);

/// <summary>
/// All the sources together, for one subject: who they are to each source, what is held per category,
/// and which source to ask for a category. Fulfilment goes through here.
/// </summary>
internal sealed class PersonalData(
    IEnumerable<IPersonalDataSource> sources,
    IDbContextFactory<ApplicationDbContext> contexts,
    PhoneNumberProtector phones,
    DataInventory inventory)
{
    /// <summary>The portal's own source last: erasing it (anonymising the account) ends a whole-account erasure.</summary>
    public IReadOnlyList<IPersonalDataSource> Sources { get; } =
        [.. sources.OrderBy(s => s.Name == PortalDataSource.SourceName)];

    public DataInventory Inventory => inventory;

    public IReadOnlyList<CorrectableField> CorrectableFields => [.. Sources.SelectMany(s => s.CorrectableFields)];

    public IPersonalDataSource Source(string name) =>
        Sources.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"No data source named {name} is configured.");

    public IPersonalDataSource SourceOfField(string field) =>
        Sources.FirstOrDefault(s => s.CorrectableFields.Any(f => f.Key == field))
        ?? throw new ArgumentException($"{field} is not a correctable field.", nameof(field));

    /// <summary>
    /// The identifiers sources may match the subject on: only proven ones. An email address counts once
    /// confirmed by its link, a mobile number once proven by a code; until then no source finds anything
    /// by it, so nobody sees, exports or deletes data under a number they merely typed.
    /// </summary>
    public async Task<SubjectKeys?> KeysAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.Email, u.EmailConfirmed, u.ProtectedPhoneNumber, u.PhoneNumberConfirmed })
            .SingleOrDefaultAsync(cancellationToken);
        return user is null
            ? null
            : new SubjectKeys(
                user.Id,
                user.EmailConfirmed ? user.Email : null,
                user.PhoneNumberConfirmed ? phones.Unprotect(user.ProtectedPhoneNumber) : null);
    }

    /// <summary>Whether the subject's mobile number is proven, and so matched in the company's services.</summary>
    public async Task<bool> PhoneProvenAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => u.Id == userId && u.PhoneNumberConfirmed, cancellationToken);
    }

    /// <summary>Whether the subject came without an account (a guest holding one proven identifier).</summary>
    public async Task<bool> IsGuestAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => u.Id == userId && u.IsGuest, cancellationToken);
    }

    /// <summary>Every category in inventory order, with the subject's live counts; categories only a source knows come last.</summary>
    public async Task<IReadOnlyList<Holding>> DescribeAsync(string userId, CancellationToken cancellationToken)
    {
        var keys = await KeysAsync(userId, cancellationToken);
        var counts = new Dictionary<string, long>();
        if (keys is not null)
        {
            foreach (var source in Sources)
            {
                foreach (var (category, count) in await source.CountAsync(keys, cancellationToken))
                {
                    counts[category] = count;
                }
            }
        }

        var holdings = inventory.Categories.Select(c => new Holding(c, counts.TryGetValue(c.Code, out var n) ? n : null)).ToList();
        holdings.AddRange(counts.Keys
            .Where(code => inventory.Categories.All(c => c.Code != code))
            .Select(code => new Holding(DataInventory.Unlisted(code), counts[code])));
        return holdings;
    }

    /// <summary>The categories sources hold, in inventory order: what an export contains.</summary>
    public IReadOnlyList<(DataInventory.Category Category, IPersonalDataSource Source)> ExportableCategories()
    {
        var order = inventory.Categories.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i);
        return
        [
            .. Sources.SelectMany(s => s.Categories.Select(code => (Code: code, Source: s)))
                .OrderBy(x => order.GetValueOrDefault(x.Code, int.MaxValue))
                .Select(x => (inventory.Find(x.Code), x.Source)),
        ];
    }

    /// <summary>The erasure plan for a subject: all categories (a whole account) or the chosen ones, portal last.</summary>
    public async Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys keys, IReadOnlySet<string>? categories, CancellationToken cancellationToken)
    {
        var steps = new List<ErasureStep>();
        foreach (var source in Sources)
        {
            steps.AddRange(await source.PlanErasureAsync(keys, categories, cancellationToken));
        }

        return steps;
    }
}
