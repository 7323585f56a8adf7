using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Accounts;

/// <summary>
/// The <c>DataProtection</c> section: a PFX certificate that encrypts the Data Protection key ring at
/// rest (decision 0006). Named for what it holds, since ASP.NET Core has a DataProtectionOptions of its own.
/// </summary>
public sealed class KeyRingCertificateOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>Empty: the key ring is stored unencrypted in the database. Relative paths are under the content root.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>A secret: from the environment (DataProtection__CertificatePassword) or user secrets only.</summary>
    public string? CertificatePassword { get; set; }

    public string? ResolvedPath(string contentRoot) =>
        CertificatePath is { Length: > 0 } path ? Path.GetFullPath(path, contentRoot) : null;
}

internal sealed class KeyRingCertificateOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyRingCertificateOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingCertificateOptions options) =>
        options.ResolvedPath(environment.ContentRootPath) is { } path && !File.Exists(path)
            ? ValidateOptionsResult.Fail($"DataProtection:CertificatePath names {path}, which does not exist.")
            : ValidateOptionsResult.Success;
}
