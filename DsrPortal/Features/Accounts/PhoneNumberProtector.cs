using Microsoft.AspNetCore.DataProtection;

namespace DsrPortal.Features.Accounts;

/// <summary>
/// Encrypts mobile numbers at rest with ASP.NET Core Data Protection; the key ring lives in the
/// database so every instance can read what another wrote.
/// </summary>
internal sealed class PhoneNumberProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("DsrPortal.Accounts.PhoneNumber.v1");

    public string Protect(string normalizedPhoneNumber) => protector.Protect(normalizedPhoneNumber);

    public string? Unprotect(string? protectedPhoneNumber) =>
        protectedPhoneNumber is null ? null : protector.Unprotect(protectedPhoneNumber);

    public string? Masked(string? protectedPhoneNumber) =>
        Unprotect(protectedPhoneNumber) is { } phone ? PhoneNumbers.Mask(phone) : null;
}
