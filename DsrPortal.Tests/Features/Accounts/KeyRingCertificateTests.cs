using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DsrPortal.Features.Accounts;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>With DataProtection:CertificatePath set, the key ring in the database is encrypted at rest.</summary>
public sealed class KeyRingCertificateTests : IAsyncLifetime
{
    private readonly string certificate = Path.Combine(Path.GetTempPath(), $"dsr-keys-{Guid.NewGuid():N}.pfx");
    private PortalFactory factory = null!;

    public Task InitializeAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=DsrPortal key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(certificate, created.Export(X509ContentType.Pfx, "test-only password"));
        factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = certificate,
            ["DataProtection:CertificatePassword"] = "test-only password",
        });
        _ = factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        File.Delete(certificate);
    }

    [Fact]
    public async Task The_stored_keys_are_encrypted_and_phone_numbers_still_round_trip()
    {
        var phones = factory.Services.GetRequiredService<PhoneNumberProtector>();
        var ciphertext = phones.Protect("13912345678");

        Assert.Equal("13912345678", phones.Unprotect(ciphertext));
        await using var db = factory.CreateDbContext();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
        // The demo accounts' numbers, encrypted at start with this key ring, read back too.
        Assert.Contains("13800000001", await (await factory.SignedInClientAsync("subject@demo.local")).GetStringAsync("/my-data"));
    }
}
