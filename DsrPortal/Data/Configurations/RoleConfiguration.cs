using DsrPortal.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Data.Configurations;

/// <summary>The roles exist in every database from the first migration, demo data or not.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    public void Configure(EntityTypeBuilder<IdentityRole> builder) =>
        builder.HasData(
            Role("3f1a7c1e-5d2b-4a53-9a55-0c1a8f0e0001", PortalRoles.Subject),
            Role("3f1a7c1e-5d2b-4a53-9a55-0c1a8f0e0002", PortalRoles.Agent),
            Role("3f1a7c1e-5d2b-4a53-9a55-0c1a8f0e0003", PortalRoles.Supervisor));

    private static IdentityRole Role(string id, string name) =>
        new() { Id = id, Name = name, NormalizedName = name.ToUpperInvariant(), ConcurrencyStamp = id };
}
