using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DsrPortal.Features.Audit;

/// <summary>SHA-256 over the previous hash and the canonical form of the event.</summary>
public static class AuditHasher
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(string previousHash, long sequence, DateTimeOffset occurredAt, string actorId, string actorRole,
        string action, Guid? requestId, string? subjectPseudonym, string details)
    {
        var canonical = string.Join('\n',
            previousHash,
            sequence.ToString(CultureInfo.InvariantCulture),
            occurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            actorId,
            actorRole,
            action,
            requestId?.ToString("D") ?? "",
            subjectPseudonym ?? "",
            details);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string Compute(AuditEvent e) =>
        Compute(e.PreviousHash, e.Sequence, e.OccurredAt, e.ActorId, e.ActorRole, e.Action, e.RequestId, e.SubjectPseudonym, e.Details);

    /// <summary>Both databases keep milliseconds faithfully; ticks beyond them would not survive PostgreSQL.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
