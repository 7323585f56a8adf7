using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Verification;

public enum CodePurpose
{
    /// <summary>Proves that the account holder owns a mobile number (registration, a new number).</summary>
    ProvePhone = 1,

    /// <summary>Signs in to the app with the number alone.</summary>
    SignIn = 2,

    /// <summary>Confirms a risky request (an export, a deletion) with the proven number, now.</summary>
    StepUp = 3,

    /// <summary>Proves an email address or number for a request made without an account.</summary>
    Intake = 4,
}

/// <summary>
/// A one-time code sent by text message: only its keyed hash is stored, it lives 10 minutes, allows a
/// few tries and is used once. <see cref="Target"/> is the number's blind index, never the number.
/// </summary>
public sealed class OneTimeCode
{
    public const int Digits = 6;

    private OneTimeCode()
    {
    }

    public Guid Id { get; private set; }

    public CodePurpose Purpose { get; private set; }

    public string Target { get; private set; } = "";

    /// <summary>The account the code is for; null for a sign-in code, which finds its account by number.</summary>
    public string? UserId { get; private set; }

    public string CodeHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? ConsumedAt { get; private set; }

    public static OneTimeCode Issue(Guid id, CodePurpose purpose, string target, string? userId, string codeHash, DateTimeOffset now, TimeSpan lifetime) =>
        new()
        {
            Id = id, Purpose = purpose, Target = target, UserId = userId, CodeHash = codeHash, CreatedAt = now, ExpiresAt = now + lifetime,
        };
}

internal sealed class OneTimeCodeConfiguration : IEntityTypeConfiguration<OneTimeCode>
{
    public void Configure(EntityTypeBuilder<OneTimeCode> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Target).HasMaxLength(64).IsRequired();
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.CodeHash).HasMaxLength(64).IsRequired();
        // Throttling and checking both look up the newest codes for a number.
        builder.HasIndex(c => new { c.Target, c.CreatedAt });
        builder.HasIndex(c => c.ExpiresAt);
        builder.HasIndex(c => new { c.UserId, c.CreatedAt });
    }
}
