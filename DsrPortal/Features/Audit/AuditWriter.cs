using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Audit;

/// <summary>Who did it, as the audit trail records it: an account id and its role, never a name.</summary>
public sealed record AuditActor(string Id, string Role)
{
    public static readonly AuditActor System = new("system", AuditRoles.System);
}

/// <summary>
/// The only way into the audit trail. Events are added to the caller's unit of work, so they commit
/// in the same transaction as the change they record, or not at all.
/// </summary>
internal sealed class AuditWriter(TimeProvider clock, AuditKey key)
{
    public async Task AppendAsync(
        ApplicationDbContext db, AuditActor actor, string action, Guid? requestId = null, string? subjectId = null,
        IReadOnlyDictionary<string, string?>? details = null, CancellationToken cancellationToken = default)
    {
        var head = await LoadHeadAsync(db, cancellationToken);
        var occurredAt = AuditHasher.Truncate(clock.GetUtcNow());
        var sequence = head.LastSequence + 1;
        var pseudonym = subjectId is null ? null : Pseudonymize(head.PseudonymKey, subjectId);
        var canonicalDetails = Canonical(details);
        var hash = AuditHasher.Compute(head.LastHash, sequence, occurredAt, actor.Id, actor.Role, action, requestId, pseudonym, canonicalDetails);

        db.AuditEvents.Add(new AuditEvent
        {
            Sequence = sequence,
            OccurredAt = occurredAt,
            ActorId = actor.Id,
            ActorRole = actor.Role,
            Action = action,
            RequestId = requestId,
            SubjectPseudonym = pseudonym,
            Details = canonicalDetails,
            PreviousHash = head.LastHash,
            Hash = hash,
            Signature = key.SignEvent(hash),
        });
        head.LastSequence = sequence;
        head.LastHash = hash;
        Seal(head);
    }

    /// <summary>Signs the head as it now stands (after an append, or a retention purge moving its checkpoint).</summary>
    public void Seal(AuditHead head)
    {
        head.Signature = key.SignHead(head.LastSequence, head.LastHash, head.PurgedThroughSequence, head.PurgedThroughHash);
        head.Version = Guid.NewGuid();
    }

    /// <summary>
    /// A trail written before events were signed (an upgrade) is signed once, as it stands, at the first
    /// start with the key; from then on an unsigned event is a forgery. Returns how many were signed.
    /// </summary>
    public async Task<int> SignLegacyAsync(ApplicationDbContext db, CancellationToken cancellationToken = default)
    {
        if (await db.AuditEvents.AnyAsync(e => e.Signature != null, cancellationToken))
        {
            return 0;
        }

        if (!await db.AuditEvents.AnyAsync(cancellationToken))
        {
            // A new, empty trail (a deployment without demo data): its head is signed now, so it verifies before the first event.
            var empty = await db.AuditHeads.SingleOrDefaultAsync(cancellationToken);
            if (empty is not null && empty.LastSequence == 0 && empty.Signature is null)
            {
                Seal(empty);
                await db.SaveChangesAsync(cancellationToken);
            }

            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var signed = 0;
        foreach (var e in await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync(cancellationToken))
        {
            e.Signature = key.SignEvent(e.Hash);
            signed++;
        }

        var head = await db.AuditHeads.SingleAsync(cancellationToken);
        Seal(head);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return signed;
    }

    /// <summary>The pseudonym the trail uses for a subject, e.g. to filter the audit page by subject.</summary>
    public async Task<string> PseudonymForAsync(ApplicationDbContext db, string subjectId, CancellationToken cancellationToken = default) =>
        Pseudonymize((await LoadHeadAsync(db, cancellationToken)).PseudonymKey, subjectId);

    private static async Task<AuditHead> LoadHeadAsync(ApplicationDbContext db, CancellationToken cancellationToken)
    {
        // Several appends in one unit of work chain through the tracked head.
        var head = db.ChangeTracker.Entries<AuditHead>().Select(e => e.Entity).FirstOrDefault()
            ?? await ReadHeadAsync(db, cancellationToken)
            ?? throw new InvalidOperationException("The audit chain's head row is missing. Run the migrations.");
        if (head.PseudonymKey.Length == 0)
        {
            head.PseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        return head;
    }

    /// <summary>
    /// Inside a transaction, PostgreSQL locks the head row until commit, so appends queue instead of
    /// racing; SQLite's write transactions are serial already. Either way the head's concurrency token
    /// catches a writer that appended without a transaction.
    /// </summary>
    private static Task<AuditHead?> ReadHeadAsync(ApplicationDbContext db, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql() && db.Database.CurrentTransaction is not null
            ? db.AuditHeads.FromSqlRaw("SELECT * FROM \"AuditHeads\" WHERE \"Id\" = 1 FOR UPDATE").SingleOrDefaultAsync(cancellationToken)
            : db.AuditHeads.SingleOrDefaultAsync(h => h.Id == AuditHead.SingletonId, cancellationToken);

    private static string Pseudonymize(string key, string subjectId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(subjectId)))[..32];

    /// <summary>Sorted keys, no whitespace: the same details always hash the same.</summary>
    private static string Canonical(IReadOnlyDictionary<string, string?>? details) =>
        details is null || details.Count == 0
            ? "{}"
            : JsonSerializer.Serialize(new SortedDictionary<string, string?>(details.ToDictionary(), StringComparer.Ordinal));
}
