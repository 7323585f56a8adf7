using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Data;

/// <summary>What one unit of work decided inside a group: its answer, and whether its changes are to be kept.</summary>
internal readonly record struct GroupWork<T>(T Result, bool Saves);

/// <summary>How a unit of work ended in its group: committed (with its answer), or beaten by another writer.</summary>
internal readonly record struct GroupOutcome<T>(T Result, bool LostRace);

/// <summary>
/// Group commit: units of work that arrive together are written in one transaction with one commit (one fsync),
/// and each caller is answered only after that commit. Each unit runs in turn inside a savepoint of its own, so a
/// unit that fails or loses a race is rolled back alone and the others still commit; a failed commit fails the
/// whole group, and nobody was told otherwise. One writer at a time also means writers in this process never wait
/// on one another's locks (SQLite's busy wait, PostgreSQL's lock on the audit head): they queue here instead.
/// No unit waits for company: a group is whatever queued while the previous one committed, so a quiet portal
/// commits each unit at once.
/// </summary>
internal sealed class GroupCommit(IDbContextFactory<ApplicationDbContext> contexts, ILogger<GroupCommit> logger) : IAsyncDisposable
{
    /// <summary>Enough to amortize the commit, few enough that the first in a group does not wait long for the last.</summary>
    public const int MaxGroup = 64;

    private static readonly AsyncLocal<bool> InsideWork = new();
    private readonly Channel<Entry> queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock starting = new();
    private Task? writer;

    /// <summary>
    /// Queues <paramref name="work"/> for the next group and waits for its commit. The work gets a context inside the
    /// group's transaction (it reads its own clock); its context is cleared after it, so it must save what it keeps
    /// only by returning <c>Saves</c>, and read nothing it did not load itself.
    /// </summary>
    public Task<GroupOutcome<T>> RunAsync<T>(Func<ApplicationDbContext, Task<GroupWork<T>>> work, CancellationToken cancellationToken)
    {
        // A unit that queued another from inside its group would wait for itself.
        if (InsideWork.Value)
        {
            throw new InvalidOperationException("A unit of work cannot start another from inside its group.");
        }

        var entry = new Entry<T>(work, cancellationToken);
        if (!queue.Writer.TryWrite(entry))
        {
            throw new ObjectDisposedException(nameof(GroupCommit));
        }

        EnsureWriter();
        return entry.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (writer is not null)
        {
            await writer;
        }
    }

    private void EnsureWriter()
    {
        if (writer is not null)
        {
            return;
        }

        lock (starting)
        {
            writer ??= Task.Run(WriteAsync);
        }
    }

    private async Task WriteAsync()
    {
        var group = new List<Entry>(MaxGroup);
        while (await queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && queue.Reader.TryRead(out var entry))
            {
                if (!entry.CancelIfAsked())
                {
                    group.Add(entry);
                }
            }

            try
            {
                await WriteGroupAsync(group);
            }
            catch (Exception e)
            {
                logger.LogError(e, "The group writer failed outside a group's transaction");
            }

            // Whatever went wrong, nobody is left waiting: a unit that never ran is retried by its caller.
            foreach (var entry in group)
            {
                entry.LoseRace();
            }
        }
    }

    private async Task WriteGroupAsync(List<Entry> group)
    {
        if (group.Count == 0)
        {
            return;
        }

        var kept = new List<Entry>(group.Count);
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var entry in group)
            {
                await transaction.CreateSavepointAsync("unit");
                InsideWork.Value = true;
                try
                {
                    if (await entry.RunAsync(db))
                    {
                        await db.SaveChangesAsync();
                        await transaction.ReleaseSavepointAsync("unit");
                    }
                    else
                    {
                        await transaction.RollbackToSavepointAsync("unit");
                    }

                    kept.Add(entry);
                }
                catch (Exception e)
                {
                    await transaction.RollbackToSavepointAsync("unit");
                    if (LostRaces.IsLostRace(e))
                    {
                        entry.LoseRace();
                    }
                    else
                    {
                        entry.Fail(e);
                    }
                }
                finally
                {
                    InsideWork.Value = false;
                    // The next unit reads fresh rows (the audit head among them), not what this one tracked.
                    db.ChangeTracker.Clear();
                }
            }

            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // Nothing of the group was kept: those whose work had run are told so, and retry or fail
            // (the writer then tells those that never ran to try again).
            var lostRace = LostRaces.IsLostRace(e);
            if (!lostRace)
            {
                logger.LogError(e, "A group of {Count} units of work failed to commit", kept.Count);
            }

            foreach (var entry in kept)
            {
                if (lostRace)
                {
                    entry.LoseRace();
                }
                else
                {
                    entry.Fail(e);
                }
            }

            return;
        }

        foreach (var entry in kept)
        {
            entry.Commit();
        }
    }

    private abstract class Entry
    {
        /// <summary>Runs the unit; true when its changes are to be saved.</summary>
        public abstract Task<bool> RunAsync(ApplicationDbContext db);

        public abstract bool CancelIfAsked();

        public abstract void Commit();

        public abstract void LoseRace();

        public abstract void Fail(Exception e);
    }

    private sealed class Entry<T>(Func<ApplicationDbContext, Task<GroupWork<T>>> work, CancellationToken cancellationToken) : Entry
    {
        private GroupWork<T> done;

        public TaskCompletionSource<GroupOutcome<T>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<bool> RunAsync(ApplicationDbContext db)
        {
            cancellationToken.ThrowIfCancellationRequested();
            done = await work(db);
            return done.Saves;
        }

        public override bool CancelIfAsked() => cancellationToken.IsCancellationRequested && Completion.TrySetCanceled(cancellationToken);

        public override void Commit() => Completion.TrySetResult(new GroupOutcome<T>(done.Result, false));

        public override void LoseRace() => Completion.TrySetResult(new GroupOutcome<T>(default!, true));

        public override void Fail(Exception e)
        {
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                Completion.TrySetCanceled(cancellationToken);
            }
            else
            {
                Completion.TrySetException(e);
            }
        }
    }
}
