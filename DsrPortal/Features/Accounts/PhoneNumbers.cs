using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace DsrPortal.Features.Accounts;

/// <summary>Mainland China mobile numbers, the identifier the demo app's real-name registration uses.</summary>
public static partial class PhoneNumbers
{
    /// <summary>Strips spaces, dashes and a +86 / 0086 prefix; returns null when what is left is not a mobile number.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var digits = Separators().Replace(input.Trim(), "");
        if (digits.StartsWith("+86", StringComparison.Ordinal))
        {
            digits = digits[3..];
        }
        else if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }

        return MainlandMobile().IsMatch(digits) ? digits : null;
    }

    /// <summary>
    /// What <see cref="Normalize"/> accepts, as a pattern for the browser's check as one types: separators
    /// anywhere, an optional +86 / 0086 / 86 prefix, then a mainland mobile number.
    /// </summary>
    public const string LooseMainlandMobilePattern = @"[\s\-()]*(?:\+86|0086|86)?[\s\-()]*1[3-9](?:[\s\-()]*\d){9}[\s\-()]*";

    /// <summary>138****5678: enough for a person to recognise their number, too little to use it.</summary>
    public static string Mask(string normalized) =>
        normalized.Length < 7 ? new string('*', normalized.Length) : $"{normalized[..3]}****{normalized[^4..]}";

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MainlandMobile();

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class MobilePhoneNumberAttribute : ValidationAttribute
{
    public MobilePhoneNumberAttribute()
        : base("Enter an 11-digit mainland China mobile number, for example 13812345678.")
    {
    }

    public override bool IsValid(object? value) =>
        value is null || (value is string s && (s.Length == 0 || PhoneNumbers.Normalize(s) is not null));
}
