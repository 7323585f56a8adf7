using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Data.Configurations;

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.Nickname).HasMaxLength(PortalLimits.NicknameMaxLength).IsRequired();
        builder.Property(u => u.Gender).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.Constellation).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.ProtectedPhoneNumber).HasMaxLength(1024);
        builder.Property(u => u.PhoneNumberIndex).HasMaxLength(64);
        // Unproven numbers have no index; NULLs never collide in SQLite or PostgreSQL.
        builder.HasIndex(u => u.PhoneNumberIndex).IsUnique();
        builder.Property(u => u.PreferredCulture).HasMaxLength(16).IsRequired();
    }
}
