using DsrPortal.Data;
using DsrPortal.Features.Fulfilment;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Export;

/// <summary>Where finished export packages wait for their download.</summary>
public enum ExportStorage
{
    /// <summary>Files in <see cref="FulfilmentOptions.ExportDirectory"/>: one machine's disk, or a folder every instance mounts.</summary>
    Directory = 0,
    /// <summary>Rows (1 MB by default) in the portal database, written and read a chunk at a time: every instance reads them, nothing else to share.</summary>
    Database = 1,
}

/// <summary>One piece of a package stored in the database, in order.</summary>
public sealed class ExportChunk
{
    public Guid JobId { get; set; }

    public int Index { get; set; }

    public required byte[] Data { get; set; }
}

internal sealed class ExportChunkConfiguration : IEntityTypeConfiguration<ExportChunk>
{
    public void Configure(EntityTypeBuilder<ExportChunk> builder) => builder.HasKey(c => new { c.JobId, c.Index });
}

/// <summary>A package ready to hand over: a file to serve with ranges, or a stream of the database's chunks.</summary>
internal sealed record ExportPackage(string? Path, Func<Stream>? Open, long Size);

/// <summary>
/// The finished packages, wherever the operator keeps them (<c>Fulfilment:ExportStorage</c>): a directory, or the
/// database in chunks. A package is built into a local file first, then stored whole or not at all; reading streams
/// it, never holding it in memory.
/// </summary>
internal sealed class ExportPackages(IDbContextFactory<ApplicationDbContext> contexts, IOptionsMonitor<FulfilmentOptions> options, IHostEnvironment environment)
{
    public string Directory => Path.GetFullPath(options.CurrentValue.ExportDirectory, environment.ContentRootPath);

    public string PackagePath(Guid jobId) => Path.Combine(Directory, $"{jobId:N}.zip");

    private bool InDatabase => options.CurrentValue.ExportStorage == ExportStorage.Database;

    /// <summary>Moves a finished file into the store; a package stored before under the same job is replaced.</summary>
    public async Task StoreAsync(Guid jobId, string finished, CancellationToken cancellationToken)
    {
        if (!InDatabase)
        {
            File.Move(finished, PackagePath(jobId), overwrite: true);
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ExportChunks.Where(c => c.JobId == jobId).ExecuteDeleteAsync(cancellationToken);
        await using (var file = new FileStream(finished, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            var size = options.CurrentValue.ExportChunkKilobytes * 1024;
            var buffer = new byte[size];
            for (var index = 0; ; index++)
            {
                var read = await file.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                db.ExportChunks.Add(new ExportChunk { JobId = jobId, Index = index, Data = buffer[..read] });
                await db.SaveChangesAsync(cancellationToken);
                // One chunk in memory at a time: the saved one is let go.
                db.ChangeTracker.Clear();
            }
        }

        await transaction.CommitAsync(cancellationToken);
        File.Delete(finished);
    }

    /// <summary>The stored package, or null when there is none (never built, or deleted).</summary>
    public async Task<ExportPackage?> FindAsync(Guid jobId, long size, CancellationToken cancellationToken)
    {
        var path = PackagePath(jobId);
        if (File.Exists(path))
        {
            return new ExportPackage(path, null, size);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ExportChunks.AnyAsync(c => c.JobId == jobId, cancellationToken)
            ? new ExportPackage(null, () => new ChunkStream(contexts, jobId, size), size)
            : null;
    }

    /// <summary>The package wherever it is, and any part of one a run left behind.</summary>
    public async Task DeleteAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        if (System.IO.Directory.Exists(Directory))
        {
            File.Delete(PackagePath(jobId));
            foreach (var partial in System.IO.Directory.EnumerateFiles(Directory, $"{jobId:N}.zip.*.partial"))
            {
                File.Delete(partial);
            }
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ExportChunks.Where(c => c.JobId == jobId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Reads a stored package chunk by chunk, each with a short query of its own.</summary>
    private sealed class ChunkStream(IDbContextFactory<ApplicationDbContext> contexts, Guid jobId, long length) : Stream
    {
        private byte[] chunk = [];
        private int offset;
        private int next;
        private long position;
        private bool ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (offset == chunk.Length && !ended)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var index = next++;
                var data = await db.ExportChunks.AsNoTracking().Where(c => c.JobId == jobId && c.Index == index).Select(c => c.Data).SingleOrDefaultAsync(cancellationToken);
                (chunk, offset, ended) = data is null ? ([], 0, true) : (data, 0, false);
            }

            var count = Math.Min(buffer.Length, chunk.Length - offset);
            chunk.AsMemory(offset, count).CopyTo(buffer);
            offset += count;
            position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
