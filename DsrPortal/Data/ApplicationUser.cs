using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Data;

/// <summary>
/// A portal account. The profile fields are the ones clause 1.1 of the demo policy collects; the mobile
/// phone number is sensitive, so only its Data Protection ciphertext is stored.
/// </summary>
public sealed class ApplicationUser : IdentityUser
{
    public string Nickname { get; set; } = "";

    public Gender Gender { get; set; }

    public Constellation? Constellation { get; set; }

    public DateOnly? DateOfBirth { get; set; }

    public string? ProtectedPhoneNumber { get; set; }

    /// <summary>
    /// The blind index (keyed hash) of the number, set once its owner proved it with a code
    /// (<see cref="Microsoft.AspNetCore.Identity.IdentityUser{TKey}.PhoneNumberConfirmed"/>): unique, so
    /// a proven number belongs to one account.
    /// </summary>
    public string? PhoneNumberIndex { get; set; }

    /// <summary>The culture the user last chose, so emails reach them in their language.</summary>
    public string PreferredCulture { get; set; } = "en";

    /// <summary>Set for staff accounts created with a one-time password.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// An account without a password, made when someone without an account proved an email address or a
    /// mobile number with a code to make a request: it signs in only with a fresh code or a signed link.
    /// </summary>
    public bool IsGuest { get; set; }

    /// <summary>
    /// The IANA time zone the person's browser reported at their last sign-in or registration; what the
    /// export's cover page tells its time in. Null until then (the deployment's zone applies).
    /// </summary>
    public string? TimeZone { get; set; }
}

public enum Gender
{
    Unspecified = 0,
    Female = 1,
    Male = 2,
}

public enum Constellation
{
    Aries = 1,
    Taurus,
    Gemini,
    Cancer,
    Leo,
    Virgo,
    Libra,
    Scorpio,
    Sagittarius,
    Capricorn,
    Aquarius,
    Pisces,
}

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.Nickname).HasMaxLength(PortalLimits.NicknameMaxLength).IsRequired();
        builder.Property(u => u.Gender).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.Constellation).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.ProtectedPhoneNumber).HasMaxLength(1024);
        builder.Property(u => u.TimeZone).HasMaxLength(64);
        builder.Property(u => u.PhoneNumberIndex).HasMaxLength(64);
        // Unproven numbers have no index; NULLs never collide in SQLite or PostgreSQL.
        builder.HasIndex(u => u.PhoneNumberIndex).IsUnique();
        builder.Property(u => u.PreferredCulture).HasMaxLength(16).IsRequired();
    }
}
