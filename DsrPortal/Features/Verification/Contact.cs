using System.ComponentModel.DataAnnotations;
using DsrPortal.Features.Accounts;

namespace DsrPortal.Features.Verification;

public enum ContactKind
{
    Email = 1,
    Phone = 2,
}

/// <summary>
/// An email address or a mainland mobile number, normalised: what a person proves with a one-time code.
/// Email addresses compare lower-case; numbers as 11 digits (<see cref="PhoneNumbers.Normalize"/>).
/// </summary>
public sealed record Contact(ContactKind Kind, string Value)
{
    public const int MaxEmailLength = 254;

    private static readonly EmailAddressAttribute EmailRule = new();

    public bool IsEmail => Kind == ContactKind.Email;

    /// <summary>Enough for its owner to recognise it, too little for anyone else to use it.</summary>
    public string Masked => IsEmail ? EmailAddresses.Mask(Value) : PhoneNumbers.Mask(Value);

    /// <summary>A typed email address or mobile number, or null when it is neither.</summary>
    public static Contact? Parse(string? input)
    {
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Contains('@'))
        {
            return text.Length <= MaxEmailLength && EmailRule.IsValid(text) && System.Net.Mail.MailAddress.TryCreate(text, out var address)
                && address.Address == text
                ? new Contact(ContactKind.Email, text.ToLowerInvariant())
                : null;
        }

        return PhoneNumbers.Normalize(text) is { } phone ? new Contact(ContactKind.Phone, phone) : null;
    }

    public static Contact Phone(string normalizedPhone) => new(ContactKind.Phone, normalizedPhone);
}
