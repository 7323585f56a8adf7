using DsrPortal.Data;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Notices;
using DsrPortal.Features.Policies;
using DsrPortal.Features.ServiceEnd;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Accounts;

internal sealed record SubjectRegistration(
    string Email,
    string Password,
    string PhoneNumber,
    string Nickname,
    Gender Gender,
    Constellation? Constellation,
    DateOnly DateOfBirth,
    string Culture,
    ConsentChannel Channel);

internal sealed record RegistrationResult(ApplicationUser? User, IReadOnlyList<IdentityError> Errors)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Creates a data subject's account, role and policy agreement in one transaction: a failure at any
/// step leaves no account behind. Once the end of the service is announced, a new account is told of it like
/// everyone; from its date on, no account is opened.
/// </summary>
internal sealed class SubjectRegistrationService(
    UserManager<ApplicationUser> users,
    ApplicationDbContext db,
    PhoneNumberProtector phones,
    PolicyService policies,
    AuditWriter audit,
    ServiceEndService serviceEnd,
    NoticeService notices,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock)
{
    public async Task<RegistrationResult> RegisterAsync(SubjectRegistration input, CancellationToken cancellationToken = default)
    {
        var phone = PhoneNumbers.Normalize(input.PhoneNumber)
            ?? throw new ArgumentException("The phone number must be validated before registration.", nameof(input));

        var user = new ApplicationUser
        {
            UserName = input.Email.Trim(),
            Email = input.Email.Trim(),
            Nickname = input.Nickname.Trim(),
            Gender = input.Gender,
            Constellation = input.Constellation,
            DateOfBirth = input.DateOfBirth,
            ProtectedPhoneNumber = phones.Protect(phone),
            PreferredCulture = PortalCultures.Normalize(input.Culture),
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };

        var ending = await serviceEnd.CurrentAsync(cancellationToken);
        if (ending is not null && ServiceEndService.Closed(ending, clock.GetUtcNow()))
        {
            return new RegistrationResult(null,
                [new IdentityError { Code = "ServiceEnded", Description = localizer[Refuse("The service has ended: new accounts are no longer opened.")] }]);
        }

        var policy = await policies.GetCurrentAsync(db, cancellationToken);
        // ProtectedPhoneNumber is computed above, outside the transaction: the first Protect call may
        // write a new Data Protection key, which on SQLite would wait for this transaction's lock.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            return new RegistrationResult(null, [.. created.Errors]);
        }

        var role = await users.AddToRoleAsync(user, PortalRoles.Subject);
        if (!role.Succeeded)
        {
            return new RegistrationResult(null, [.. role.Errors]);
        }

        policies.RecordAgreement(db, user.Id, policy, input.Channel);
        await audit.AppendAsync(db, new AuditActor(user.Id, PortalRoles.Subject), AuditActions.AccountRegistered, subjectId: user.Id,
            details: new Dictionary<string, string?> { ["channel"] = input.Channel.ToString(), ["policyVersion"] = policy.Version },
            cancellationToken: cancellationToken);
        if (ending is { State: ServiceEndState.Announced })
        {
            // Announced before this person came: they hear of the date like everyone, by email and in the portal.
            await notices.AddRecipientAsync(db, ending.NoticeId, user.Id, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RegistrationResult(user, []);
    }
}
