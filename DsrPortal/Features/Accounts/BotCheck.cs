using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Accounts;

/// <summary>The proof-of-work bot check on the public forms and the API calls anyone can make.</summary>
public sealed class BotCheckOptions
{
    public const string SectionName = "BotCheck";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Leading zero bits the SHA-256 of "challenge:answer" must have. Each bit doubles the work: 18 takes a
    /// phone about a second and a laptop a fraction of one; a script sending thousands of forms pays it every time.
    /// </summary>
    [Range(1, 28)]
    public int Difficulty { get; set; } = 18;

    /// <summary>How long a challenge may be answered after the form was shown.</summary>
    [Range(1, 120)]
    public int ChallengeMinutes { get; set; } = 20;

    /// <summary>
    /// The fallback for a browser that cannot run the check (scripts off, an old or assistive browser): a form
    /// sent at least this many seconds after it was shown passes without the answer. 0 turns the fallback off.
    /// </summary>
    [Range(0, 600)]
    public int FallbackWaitSeconds { get; set; } = 15;

    /// <summary>Failed sign-ins from one network address within 15 minutes after which the sign-in form also asks for the check.</summary>
    [Range(1, 100)]
    public int SignInFailuresBeforeCheck { get; set; } = 3;
}

public enum BotVerdict
{
    Passed = 1,
    /// <summary>No challenge, a forged or expired one, a wrong answer, or one already used.</summary>
    Failed = 2,
    /// <summary>No answer (the fallback), sent before <see cref="BotCheckOptions.FallbackWaitSeconds"/> passed.</summary>
    TooSoon = 3,
}

public sealed record BotChallenge(string Challenge, int Difficulty, int ExpiresIn);

/// <summary>
/// A bot check that needs no third-party service. The portal hands out a sealed challenge (random, timed,
/// with its difficulty); the browser, or the app, finds a number whose SHA-256 with it starts with enough
/// zero bits, which takes a moment for one form and a great deal for thousands. The server checks the seal,
/// the age and the answer with one hash, and remembers used challenges until they expire, so none is used twice.
/// Used challenges are remembered per instance: several instances behind a proxy with sticky sessions keep that
/// property for one browser, and the per-address rate limits bound the rest.
/// </summary>
internal sealed class BotCheck(IDataProtectionProvider protection, IMemoryCache memory, IOptionsMonitor<BotCheckOptions> options, TimeProvider clock)
{
    private const string Purpose = "DsrPortal.Accounts.BotCheck";

    public bool Enabled => options.CurrentValue.Enabled;

    public BotCheckOptions Settings => options.CurrentValue;

    public BotChallenge Issue()
    {
        var settings = options.CurrentValue;
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var payload = string.Join('|', nonce, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            settings.Difficulty.ToString(CultureInfo.InvariantCulture));
        return new BotChallenge(protection.CreateProtector(Purpose).Protect(payload), settings.Difficulty, settings.ChallengeMinutes * 60);
    }

    /// <summary>A challenge posted back with a form that was refused, still good to answer: the page keeps it, so a fallback wait is not restarted.</summary>
    public bool IsReusable(string? challenge) => Open(challenge) is not null && !memory.TryGetValue(SpentKey(challenge!), out _);

    /// <param name="allowFallback">False for the API: an app can always compute the answer.</param>
    public (BotVerdict Verdict, int WaitSeconds) Verify(string? challenge, string? answer, bool allowFallback)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return (BotVerdict.Passed, 0);
        }

        if (Open(challenge) is not { } opened || memory.TryGetValue(SpentKey(challenge!), out _))
        {
            return (BotVerdict.Failed, 0);
        }

        if (string.IsNullOrEmpty(answer))
        {
            var waited = clock.GetUtcNow() - opened.IssuedAt;
            if (!allowFallback || settings.FallbackWaitSeconds == 0)
            {
                return (BotVerdict.Failed, 0);
            }

            if (waited < TimeSpan.FromSeconds(settings.FallbackWaitSeconds))
            {
                return (BotVerdict.TooSoon, (int)Math.Ceiling((TimeSpan.FromSeconds(settings.FallbackWaitSeconds) - waited).TotalSeconds));
            }
        }
        else if (answer.Length > 20 || LeadingZeroBits(SHA256.HashData(Encoding.UTF8.GetBytes(challenge + ":" + answer))) < opened.Difficulty)
        {
            return (BotVerdict.Failed, 0);
        }

        memory.Set(SpentKey(challenge!), true, TimeSpan.FromMinutes(settings.ChallengeMinutes + 1));
        return (BotVerdict.Passed, 0);
    }

    /// <summary>Counts a failed sign-in from this address; after a few, the sign-in form asks for the check too.</summary>
    public void RecordSignInFailure(string? address)
    {
        var key = FailuresKey(address);
        var count = memory.TryGetValue(key, out int seen) ? seen : 0;
        memory.Set(key, count + 1, TimeSpan.FromMinutes(15));
    }

    public bool SignInNeedsCheck(string? address) =>
        options.CurrentValue.Enabled && memory.TryGetValue(FailuresKey(address), out int seen) && seen >= options.CurrentValue.SignInFailuresBeforeCheck;

    internal static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                bits += 8;
                continue;
            }

            return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
        }

        return bits;
    }

    private (DateTimeOffset IssuedAt, int Difficulty)? Open(string? challenge)
    {
        if (string.IsNullOrEmpty(challenge) || challenge.Length > 1024)
        {
            return null;
        }

        string payload;
        try
        {
            payload = protection.CreateProtector(Purpose).Unprotect(challenge);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var difficulty))
        {
            return null;
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(issued);
        var age = clock.GetUtcNow() - issuedAt;
        // The difficulty sealed into the challenge counts: the one in force when the form was shown.
        return age < TimeSpan.Zero || age > TimeSpan.FromMinutes(options.CurrentValue.ChallengeMinutes) ? null : (issuedAt, difficulty);
    }

    private static string SpentKey(string challenge) => "bot-check:spent:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(challenge)));

    private static string FailuresKey(string? address) => "bot-check:sign-in-failures:" + (address ?? "unknown");
}
