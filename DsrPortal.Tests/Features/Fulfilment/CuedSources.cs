using DsrPortal.Features.DataSources;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DsrPortal.Tests.Features.Fulfilment;

/// <summary>
/// What the wrapped data sources do on cue: stall after the n-th read or erase call until released (a
/// runner that hangs past its lease), or fail the n-th erase after it committed (a crash before the checkpoint).
/// </summary>
internal sealed class SourceCues
{
    private readonly Dictionary<int, Stall> readStalls = [];
    private readonly Dictionary<int, Stall> eraseStalls = [];
    private readonly List<string> erased = [];
    private int reads;

    public int FailAtErase { get; set; }

    /// <summary>Every erase call, in order, as "source:category:target:action".</summary>
    public IReadOnlyList<string> Erased
    {
        get
        {
            lock (erased)
            {
                return [.. erased];
            }
        }
    }

    public int Reads => Volatile.Read(ref reads);

    public Stall StallAfterRead(int call) => readStalls[call] = new Stall();

    public Stall StallAfterErase(int call) => eraseStalls[call] = new Stall();

    public void ReleaseAll()
    {
        foreach (var stall in readStalls.Values.Concat(eraseStalls.Values))
        {
            stall.Release();
        }
    }

    public static void Wrap(IServiceCollection services, SourceCues cues)
    {
        services.RemoveAll<PersonalData>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<PersonalData>(sp,
            sp.GetServices<IPersonalDataSource>().Select(s => (IPersonalDataSource)new CuedSource(s, cues)).ToList()));
    }

    private async Task AfterReadAsync()
    {
        if (readStalls.GetValueOrDefault(Interlocked.Increment(ref reads)) is { } stall)
        {
            await stall.WaitAsync();
        }
    }

    private async Task AfterEraseAsync(ErasureStep step)
    {
        int call;
        lock (erased)
        {
            erased.Add($"{step.Source}:{step.Category}:{step.Target}:{step.Action}");
            call = erased.Count;
        }

        if (eraseStalls.GetValueOrDefault(call) is { } stall)
        {
            await stall.WaitAsync();
        }

        if (call == FailAtErase)
        {
            throw new IOException("Simulated crash: the step committed, the checkpoint was not saved.");
        }
    }

    /// <summary>One call that hangs: <see cref="Reached"/> once it does, until <see cref="Release"/>.</summary>
    internal sealed class Stall
    {
        private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => reached.Task.WaitAsync(TimeSpan.FromSeconds(60));

        public void Release() => released.TrySetResult();

        public async Task WaitAsync()
        {
            reached.TrySetResult();
            await released.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private sealed class CuedSource(IPersonalDataSource inner, SourceCues cues) : IPersonalDataSource
    {
        public string Name => inner.Name;

        public IReadOnlyList<string> Categories => inner.Categories;

        public IReadOnlyList<CorrectableField> CorrectableFields => inner.CorrectableFields;

        public Task<IReadOnlyDictionary<string, long>> CountAsync(SubjectKeys subject, CancellationToken cancellationToken) => inner.CountAsync(subject, cancellationToken);

        public async Task ReadAsync(SubjectKeys subject, string category, IRecordSink sink, CancellationToken cancellationToken)
        {
            await inner.ReadAsync(subject, category, sink, cancellationToken);
            await cues.AfterReadAsync();
        }

        public Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys subject, IReadOnlySet<string>? categories, CancellationToken cancellationToken) =>
            inner.PlanErasureAsync(subject, categories, cancellationToken);

        public async Task<long> EraseAsync(ErasureStep step, CancellationToken cancellationToken)
        {
            var rows = await inner.EraseAsync(step, cancellationToken);
            await cues.AfterEraseAsync(step);
            return rows;
        }

        public Task<string?> ReadFieldAsync(SubjectKeys subject, string field, CancellationToken cancellationToken) => inner.ReadFieldAsync(subject, field, cancellationToken);

        public Task<bool> CorrectAsync(SubjectKeys subject, string field, string value, CancellationToken cancellationToken) =>
            inner.CorrectAsync(subject, field, value, cancellationToken);
    }
}
