using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DsrPortal.Features.DataSources.Http;

/// <summary>
/// How the portal and a service prove a call is theirs: HMAC-SHA256 with the shared secret over
/// "<c>{unix seconds}.{body}</c>", sent as <c>X-Dsr-Timestamp</c> and <c>X-Dsr-Signature: sha256={hex}</c>; a call more
/// than five minutes from the receiver's clock is refused, so a captured call cannot be replayed later.
/// </summary>
public static class ConnectorSignature
{
    public const string TimestampHeader = "X-Dsr-Timestamp";
    public const string SignatureHeader = "X-Dsr-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Whether the call is signed with the secret and fresh; compared in constant time.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret) || signature is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
