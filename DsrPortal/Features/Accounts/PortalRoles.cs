using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Accounts;

/// <summary>
/// The portal's roles. A guardian is not a role: it is a verified relationship to a minor.
/// </summary>
public static class PortalRoles
{
    public const string Subject = "Subject";
    public const string Agent = "Agent";
    public const string Supervisor = "Supervisor";

    /// <summary>Comma-separated, for <c>[Authorize(Roles = ...)]</c>: supervisors can do all an agent can.</summary>
    public const string Staff = Agent + "," + Supervisor;

    public static readonly IReadOnlyList<string> StaffRoles = [Agent, Supervisor];

    public static readonly IReadOnlyList<string> All = [Subject, Agent, Supervisor];
}

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
