using System.Buffers;
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
        Span<char> hex = stackalloc char[64];
        Compute(previousHash, sequence, occurredAt, actorId, actorRole, action, requestId, subjectPseudonym, details, hex);
        return new string(hex);
    }

    public static string Compute(AuditEvent e) =>
        Compute(e.PreviousHash, e.Sequence, e.OccurredAt, e.ActorId, e.ActorRole, e.Action, e.RequestId, e.SubjectPseudonym, e.Details);

    /// <summary>
    /// The one definition of the canonical form: the fields joined by line feeds, encoded as UTF-8, hashed, written as 64
    /// lower-case hex characters into <paramref name="hex"/>. Nothing is allocated for an ordinary event, so the check
    /// of a long trail costs the hashing and little else.
    /// </summary>
    public static void Compute(string previousHash, long sequence, DateTimeOffset occurredAt, string actorId, string actorRole,
        string action, Guid? requestId, string? subjectPseudonym, string details, Span<char> hex)
    {
        Span<char> number = stackalloc char[20];
        sequence.TryFormat(number, out var numberLength, provider: CultureInfo.InvariantCulture);
        Span<char> instant = stackalloc char[24];
        occurredAt.UtcDateTime.TryFormat(instant, out var instantLength, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        Span<char> request = stackalloc char[36];
        var requestLength = 0;
        if (requestId is { } id)
        {
            id.TryFormat(request, out requestLength, "D");
        }

        var chars = previousHash.Length + numberLength + instantLength + actorId.Length + actorRole.Length + action.Length
            + requestLength + (subjectPseudonym?.Length ?? 0) + details.Length + 8;
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars));
        try
        {
            var written = 0;
            Append(rented, ref written, previousHash);
            Append(rented, ref written, number[..numberLength]);
            Append(rented, ref written, instant[..instantLength]);
            Append(rented, ref written, actorId);
            Append(rented, ref written, actorRole);
            Append(rented, ref written, action);
            Append(rented, ref written, request[..requestLength]);
            Append(rented, ref written, subjectPseudonym);
            written += Encoding.UTF8.GetBytes(details, rented.AsSpan(written));

            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(rented.AsSpan(0, written), hash);
            Convert.TryToHexStringLower(hash, hex, out _);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Append(byte[] buffer, ref int written, ReadOnlySpan<char> part)
    {
        written += Encoding.UTF8.GetBytes(part, buffer.AsSpan(written));
        buffer[written++] = (byte)'\n';
    }

    /// <summary>Both databases keep milliseconds faithfully; ticks beyond them would not survive PostgreSQL.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
