using System.Security.Cryptography;

namespace DsrPortal.Features.Accounts;

internal static class PasswordGenerator
{
    // No 0/O, 1/l/I: the password is read off a screen and typed once.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Four groups of five characters: about 117 bits, well over the 12-character minimum.</summary>
    public static string OneTimePassword() =>
        string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(Alphabet, 5)));
}
