using System.Globalization;
using System.Security.Claims;

namespace DsrPortal.Features.Intake;

/// <summary>
/// Claims a session carries when it was opened with a one-time code just now: when, and by which channel.
/// A request made within <see cref="Verification.VerificationOptions.StepUpMinutes"/> of that counts as stepped up.
/// </summary>
public static class ProofClaims
{
    public const string ProvedAt = "dsr:proved_at";
    public const string ProvedBy = "dsr:proved_by";

    public static Claim[] For(Verification.Contact contact, DateTimeOffset now) =>
    [
        new(ProvedAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        new(ProvedBy, contact.IsEmail ? Verification.VerificationLabels.EmailCode : Verification.VerificationLabels.SmsCode),
    ];

    /// <summary>The method of a code proof made less than <paramref name="window"/> ago, or null.</summary>
    public static string? FreshProof(ClaimsPrincipal? user, DateTimeOffset now, TimeSpan window)
    {
        var at = user?.FindFirst(ProvedAt)?.Value;
        var by = user?.FindFirst(ProvedBy)?.Value;
        if (at is null || by is null || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age >= TimeSpan.Zero && age <= window ? by : null;
    }
}
