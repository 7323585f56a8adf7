using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Policies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Demo;

internal sealed record DemoAccount(string Email, string Role, string Nickname, string Phone, int AgeYears, Gender Gender, Constellation Constellation);

/// <summary>The demo accounts of DESIGN.md's stable contracts. Idempotent: existing accounts are left as they are.</summary>
internal sealed class DemoDataSeeder(
    UserManager<ApplicationUser> users,
    ApplicationDbContext db,
    PhoneNumberProtector phones,
    Verification.PhoneIndex phoneIndex,
    PolicyService policies,
    AuditWriter audit,
    TimeProvider clock,
    IOptions<DemoDataOptions> options,
    DemoRequestSeeder sampleRequests,
    DataSources.ServiceDatabase.DemoServiceDatabase serviceDatabase,
    ILogger<DemoDataSeeder> logger)
{
    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("subject@demo.local", PortalRoles.Subject, "Lin", "13800000001", 29, Gender.Female, Constellation.Libra),
        new("guardian@demo.local", PortalRoles.Subject, "Chen", "13800000002", 42, Gender.Male, Constellation.Taurus),
        new("minor@demo.local", PortalRoles.Subject, "Xiaoming", "13800000003", 15, Gender.Male, Constellation.Leo),
        new("agent@demo.local", PortalRoles.Agent, "Agent Wang", "13800000004", 31, Gender.Female, Constellation.Virgo),
        new("supervisor@demo.local", PortalRoles.Supervisor, "Supervisor Zhao", "13800000005", 45, Gender.Male, Constellation.Capricorn),
    ];

    /// <returns>How many accounts were created.</returns>
    public async Task<int> SeedAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            throw new InvalidOperationException("Demo data is disabled (DemoData:Enabled is false): no account with a published password is created.");
        }

        var policy = await policies.GetCurrentAsync(db, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var created = 0;
        foreach (var account in Accounts)
        {
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }

            // Encrypt and index before the transaction: the first Protect call, and the first index, may write a key to the database.
            var user = new ApplicationUser
            {
                UserName = account.Email,
                Email = account.Email,
                EmailConfirmed = true,
                Nickname = account.Nickname,
                Gender = account.Gender,
                Constellation = account.Constellation,
                DateOfBirth = today.AddYears(-account.AgeYears).AddDays(-40),
                ProtectedPhoneNumber = phones.Protect(account.Phone),
                // The demo numbers count as proven, so My data shows the demo service's records at once.
                PhoneNumberConfirmed = true,
                PhoneNumberIndex = await phoneIndex.OfAsync(account.Phone, cancellationToken),
                CreatedAt = clock.GetUtcNow(),
                LockoutEnabled = true,
            };
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            Ensure(await users.CreateAsync(user, DemoDataOptions.Password), account.Email);
            Ensure(await users.AddToRoleAsync(user, account.Role), account.Email);
            if (account.Role == PortalRoles.Subject)
            {
                policies.RecordAgreement(db, user.Id, policy, ConsentChannel.Web);
                await audit.AppendAsync(db, new AuditActor(user.Id, PortalRoles.Subject), AuditActions.AccountRegistered, subjectId: user.Id,
                    details: new Dictionary<string, string?> { ["channel"] = "Demo", ["policyVersion"] = policy.Version },
                    cancellationToken: cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            created++;
        }

        logger.LogInformation("Demo data: {Created} of {Total} demo accounts created", created, Accounts.Count);
        await LinkDemoGuardianAsync(cancellationToken);
        // Before the sample requests: the demo export is built from it.
        await serviceDatabase.EnsureAsync(cancellationToken);
        if (options.Value.SampleRequests)
        {
            var requests = await sampleRequests.SeedAsync(cancellationToken);
            logger.LogInformation("Demo data: {Requests} sample requests created", requests);
        }

        return created;
    }

    /// <summary>The demo guardian already verified for the demo minor, so "acting for" can be tried at once.</summary>
    private async Task LinkDemoGuardianAsync(CancellationToken cancellationToken)
    {
        var guardian = await users.FindByEmailAsync("guardian@demo.local");
        var minor = await users.FindByEmailAsync("minor@demo.local");
        if (guardian is null || minor is null || await db.GuardianLinks.AnyAsync(l => l.GuardianId == guardian.Id && l.MinorId == minor.Id, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var link = Guardians.GuardianLink.RequestedBy(guardian.Id, minor.Id, now);
        link.ReceiveDocuments(dueAt: now, now);
        link.Verify("system", "Demo data: linked and verified when the demo was set up", now);
        db.GuardianLinks.Add(link);
        await audit.AppendAsync(db, AuditActor.System, AuditActions.GuardianVerified, subjectId: minor.Id,
            details: new Dictionary<string, string?> { ["link"] = link.Id.ToString(), ["documents"] = "Demo" }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static void Ensure(IdentityResult result, string email)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create demo account {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
