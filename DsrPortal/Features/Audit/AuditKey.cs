using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Audit;

/// <summary>
/// The secret that seals the audit trail, held outside the database: every event, the head and each
/// checkpoint carry an HMAC-SHA256 under it. Someone who can rewrite the database but not read this key
/// cannot produce a trail that verifies. Each kind of message is prefixed, so a signature of one kind
/// never passes for another.
/// </summary>
internal sealed class AuditKey
{
    private readonly Lazy<byte[]> key;

    /// <summary>The key is read (or created) at first use, so verbs that never touch the trail leave no key file behind.</summary>
    public AuditKey(IOptions<AuditOptions> options, IHostEnvironment environment, ILogger<AuditKey> logger) =>
        key = new Lazy<byte[]>(() => Load(options.Value, environment, logger));

    private static byte[] Load(AuditOptions settings, IHostEnvironment environment, ILogger logger)
    {
        byte[] key;
        if (!string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            key = Convert.FromBase64String(settings.SigningKey);
        }
        else
        {
            var path = Path.GetFullPath(settings.SigningKeyPath, environment.ContentRootPath);
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                // Created for the owner only; an existing file is never overwritten (FileMode.CreateNew).
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                try
                {
                    using var writer = new StreamWriter(path, Encoding.ASCII, create);
                    writer.Write(fresh);
                    logger.LogWarning("A new audit signing key was created at {Path}. Back it up and keep it off the database server.", path);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another instance created it a moment ago: use theirs.
                }
            }

            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        if (key.Length < 32)
        {
            throw new InvalidOperationException("The audit signing key must be at least 32 bytes (base64).");
        }

        return key;
    }

    public string SignEvent(string hash) => Sign("event|" + hash);

    public string SignHead(long lastSequence, string lastHash, long purgedThrough, string purgedThroughHash) =>
        Sign(string.Join('|', "head", lastSequence.ToString(CultureInfo.InvariantCulture), lastHash,
            purgedThrough.ToString(CultureInfo.InvariantCulture), purgedThroughHash));

    public string SignCheckpoint(long sequence, string hash, DateTimeOffset at) =>
        Sign(string.Join('|', "checkpoint", sequence.ToString(CultureInfo.InvariantCulture), hash,
            at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Checks event signatures one after another with one keyed hash, for a long trail: the same test as
    /// <see cref="Matches"/> against <see cref="SignEvent"/>, without a new key schedule and strings for every event.
    /// Not for several threads at once.
    /// </summary>
    public EventSignatures CheckEvents() => new(key.Value);

    public bool Matches(string? signature, string expected) =>
        signature is { Length: 64 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(expected));

    private string Sign(string message) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Value, Encoding.UTF8.GetBytes(message)));

    internal sealed class EventSignatures(byte[] key) : IDisposable
    {
        private static readonly byte[] Prefix = "event|"u8.ToArray();
        private readonly IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        public bool Matches(string hash, string? signature)
        {
            if (signature is not { Length: 64 } || hash.Length != 64)
            {
                return false;
            }

            Span<byte> hashBytes = stackalloc byte[64];
            Span<byte> mac = stackalloc byte[32];
            Span<byte> expected = stackalloc byte[64];
            Span<byte> actual = stackalloc byte[64];
            hmac.AppendData(Prefix);
            Encoding.ASCII.GetBytes(hash, hashBytes);
            hmac.AppendData(hashBytes);
            hmac.GetHashAndReset(mac);
            Convert.TryToHexStringLower(mac, expected, out _);
            Encoding.ASCII.GetBytes(signature, actual);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        public void Dispose() => hmac.Dispose();
    }
}
