namespace DsrPortal.Features.DataSources;

/// <summary>
/// One source of a subject's personal data: the portal's own tables, or another database the company
/// runs. Fulfilment only ever talks to sources through this: it counts, streams, erases per a plan and
/// corrects, and never needs the whole subject in memory.
/// </summary>
public interface IPersonalDataSource
{
    /// <summary>A stable name, recorded in erasure plans so a resumed plan finds its source again.</summary>
    string Name { get; }

    /// <summary>The category codes (data-inventory.json) this source holds; each maps to one dataset.</summary>
    IReadOnlyList<string> Categories { get; }

    /// <summary>The fields a correction request can change, with their category.</summary>
    IReadOnlyList<CorrectableField> CorrectableFields { get; }

    /// <summary>How many records of each category the subject has here.</summary>
    Task<IReadOnlyDictionary<string, long>> CountAsync(SubjectKeys subject, CancellationToken cancellationToken);

    /// <summary>Streams the subject's records of one category into <paramref name="sink"/>, one row at a time.</summary>
    Task ReadAsync(SubjectKeys subject, string category, IRecordSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// The steps that erase the subject's data in the given categories (all when null), with row counts,
    /// including what is retained and why. Keys are resolved now, so the plan still works after the
    /// step that removes the identifier has run.
    /// </summary>
    Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys subject, IReadOnlySet<string>? categories, CancellationToken cancellationToken);

    /// <summary>Runs one step in one transaction; running it again changes nothing more. Returns the rows touched.</summary>
    Task<long> EraseAsync(ErasureStep step, CancellationToken cancellationToken);

    Task<string?> ReadFieldAsync(SubjectKeys subject, string field, CancellationToken cancellationToken);

    /// <summary>Applies one accepted correction; false when the subject has no such record here.</summary>
    Task<bool> CorrectAsync(SubjectKeys subject, string field, string value, CancellationToken cancellationToken);

    /// <summary>
    /// The people this source holds data of, whether or not they have a portal account, by the identifier it
    /// keys them on: the next <paramref name="take"/> after <paramref name="after"/>, in order. The end of the
    /// service erases them all; a source with no people of its own (the portal's) has none.
    /// </summary>
    Task<IReadOnlyList<SubjectKeys>> PeopleAfterAsync(string? after, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SubjectKeys>>([]);

    /// <summary>The categories whose records a subject can pick one by one to delete (photos, posts, comments).</summary>
    IReadOnlyList<string> ItemCategories => [];

    /// <summary>The subject's own items of one category, the next <paramref name="take"/> after <paramref name="after"/> (an item id), newest first.</summary>
    Task<IReadOnlyList<PersonalItem>> ListItemsAsync(SubjectKeys subject, string category, string? after, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PersonalItem>>([]);

    /// <summary>Which of <paramref name="ids"/> are the subject's own items of the category, as they are now; anyone else's are never returned.</summary>
    Task<IReadOnlyList<PersonalItem>> FindItemsAsync(SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PersonalItem>>([]);

    /// <summary>The steps that erase the chosen items of one category (the subject's own only), like <see cref="PlanErasureAsync"/>.</summary>
    Task<IReadOnlyList<ErasureStep>> PlanItemErasureAsync(SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ErasureStep>>([]);
}

/// <summary>One record a subject can pick: its id in the source, a short text (a post's words, a caption), when, and its file (a photo).</summary>
public sealed record PersonalItem(string Id, string? Text, string? At, string? MediaPath);

/// <summary>Every identifier a source may key a subject's rows on.</summary>
public sealed record SubjectKeys(string UserId, string? Email, string? Phone);

/// <summary>Receives a dataset row by row: the columns first (even when there are no rows), then each row.</summary>
public interface IRecordSink
{
    ValueTask BeginAsync(IReadOnlyList<string> columns);

    /// <param name="values">The row; the source may reuse the array for the next one, so a sink keeps no reference to it.</param>
    /// <param name="mediaPath">A file on disk the row refers to (a photo), or null.</param>
    ValueTask WriteAsync(object?[] values, string? mediaPath);
}

public enum ErasureAction
{
    DeleteRows = 1,
    SetNull = 2,
    Pseudonymise = 3,
    /// <summary>Kept under a legal basis: stored only, no further processing (PIPL Art. 47).</summary>
    Retain = 4,
}

/// <summary>
/// One set-based statement of an erasure plan. <see cref="Key"/> holds the resolved subject key, so
/// plans are stored encrypted. <see cref="Items"/>, when given, narrows it to the subject's chosen records;
/// <see cref="Operation"/> names it to a service that runs it as a job, the same id on every resumed run.
/// </summary>
public sealed record ErasureStep(
    string Source, string Category, string Target, ErasureAction Action, IReadOnlyList<string> Columns,
    string Key, long Rows, LocalizedText? LegalBasis, IReadOnlyList<string>? Items = null, string? Operation = null);

public sealed record CorrectableField(string Key, string Source, string Category, string Column);

/// <summary>Operator-written text in each portal language.</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public string In(string culture) =>
        TryGetValue(Localization.PortalCultures.Normalize(culture), out var value) || TryGetValue(Localization.PortalCultures.English, out value)
            ? value
            : Values.FirstOrDefault() ?? "";
}
