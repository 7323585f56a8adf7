using DsrPortal.Features.DataSources;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// When the data sources "crash": right after the erasure step numbered <see cref="AfterErasure"/> (counting every
/// step erased by any source) has committed, once, as a process dying before its checkpoint would.
/// </summary>
public sealed class CrashingSources
{
    public int AfterErasure { get; set; } = int.MaxValue;

    public int Erased { get; set; }

    public bool Crashed { get; private set; }

    /// <summary>Wraps every source of the portal under test, for a <see cref="PortalFactory"/>'s service hook.</summary>
    public void WrapSources(IServiceCollection services)
    {
        services.RemoveAll<PersonalData>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<PersonalData>(sp,
            sp.GetServices<IPersonalDataSource>().Select(s => (IPersonalDataSource)new CrashingSource(s, this)).ToList()));
    }

    private void AfterErase()
    {
        if (++Erased == AfterErasure)
        {
            Crashed = true;
            throw new IOException("Simulated crash: the step committed, its checkpoint was not saved.");
        }
    }

    private sealed class CrashingSource(IPersonalDataSource inner, CrashingSources crashes) : IPersonalDataSource
    {
        public string Name => inner.Name;

        public IReadOnlyList<string> Categories => inner.Categories;

        public IReadOnlyList<CorrectableField> CorrectableFields => inner.CorrectableFields;

        public Task<IReadOnlyDictionary<string, long>> CountAsync(SubjectKeys subject, CancellationToken cancellationToken) => inner.CountAsync(subject, cancellationToken);

        public Task ReadAsync(SubjectKeys subject, string category, IRecordSink sink, CancellationToken cancellationToken) => inner.ReadAsync(subject, category, sink, cancellationToken);

        public Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys subject, IReadOnlySet<string>? categories, CancellationToken cancellationToken) =>
            inner.PlanErasureAsync(subject, categories, cancellationToken);

        public async Task<long> EraseAsync(ErasureStep step, CancellationToken cancellationToken)
        {
            var rows = await inner.EraseAsync(step, cancellationToken);
            crashes.AfterErase();
            return rows;
        }

        public Task<string?> ReadFieldAsync(SubjectKeys subject, string field, CancellationToken cancellationToken) => inner.ReadFieldAsync(subject, field, cancellationToken);

        public Task<bool> CorrectAsync(SubjectKeys subject, string field, string value, CancellationToken cancellationToken) => inner.CorrectAsync(subject, field, value, cancellationToken);

        public Task<IReadOnlyList<SubjectKeys>> PeopleAfterAsync(string? after, int take, CancellationToken cancellationToken) => inner.PeopleAfterAsync(after, take, cancellationToken);

        public IReadOnlyList<string> ItemCategories => inner.ItemCategories;

        public Task<IReadOnlyList<PersonalItem>> ListItemsAsync(SubjectKeys subject, string category, string? after, int take, CancellationToken cancellationToken) =>
            inner.ListItemsAsync(subject, category, after, take, cancellationToken);

        public Task<IReadOnlyList<PersonalItem>> FindItemsAsync(SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
            inner.FindItemsAsync(subject, category, ids, cancellationToken);

        public Task<IReadOnlyList<ErasureStep>> PlanItemErasureAsync(SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
            inner.PlanItemErasureAsync(subject, category, ids, cancellationToken);
    }
}
