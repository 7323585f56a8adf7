using System.Security.Cryptography;
using System.Text;
using DsrPortal.Features.Settings;

namespace DsrPortal.Features.Verification;

/// <summary>
/// The blind index of a mobile number: a keyed hash of its normalised form. The number itself is stored
/// only encrypted (and Data Protection's ciphertexts differ every time), so this is what makes "one
/// number, one account" a database constraint and lets the portal find an account by number.
/// </summary>
internal sealed class PhoneIndex(PortalSecrets secrets)
{
    /// <param name="normalizedPhone">A number from <see cref="Accounts.PhoneNumbers.Normalize"/>.</param>
    public async ValueTask<string> OfAsync(string normalizedPhone, CancellationToken cancellationToken)
    {
        var key = await secrets.KeyAsync(SecretKey.PhoneIndex, cancellationToken);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("phone:" + normalizedPhone)));
    }

    /// <summary>The index of a number or an email address: what one-time codes are filed under, never the address itself.</summary>
    public async ValueTask<string> OfAsync(Contact contact, CancellationToken cancellationToken)
    {
        if (!contact.IsEmail)
        {
            return await OfAsync(contact.Value, cancellationToken);
        }

        var key = await secrets.KeyAsync(SecretKey.PhoneIndex, cancellationToken);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("email:" + contact.Value)));
    }
}
