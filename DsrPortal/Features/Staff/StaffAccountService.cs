using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Staff;

internal sealed record StaffAccountResult(bool Succeeded, IReadOnlyList<string> Errors, string? OneTimePassword)
{
    public static StaffAccountResult Failed(params string[] errors) => new(false, errors, null);
}

/// <summary>
/// Creates agent and supervisor accounts: the only way staff accounts come to exist (a supervisor's
/// Staff page or the create-staff verb), never self-registration.
/// </summary>
internal sealed class StaffAccountService(
    UserManager<ApplicationUser> users,
    ApplicationDbContext db,
    TimeProvider clock,
    AuditWriter audit,
    IStringLocalizer<SharedResource> l)
{
    /// <param name="password">Null to generate a one-time password the person must change at first sign-in.</param>
    public async Task<StaffAccountResult> CreateAsync(
        string email, string role, string? password, AuditActor createdBy, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!PortalRoles.StaffRoles.Contains(role))
        {
            return StaffAccountResult.Failed(l["The role must be Agent or Supervisor."]);
        }

        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) || email.Length > PortalLimits.EmailMaxLength)
        {
            return StaffAccountResult.Failed(l["Enter a valid email address."]);
        }

        var generated = password is null;
        password ??= PasswordGenerator.OneTimePassword();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            Nickname = email.Split('@')[0],
            MustChangePassword = generated,
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return StaffAccountResult.Failed([.. created.Errors.Select(e => e.Description)]);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            return StaffAccountResult.Failed([.. added.Errors.Select(e => e.Description)]);
        }

        await audit.AppendAsync(db, createdBy, AuditActions.StaffCreated,
            details: new Dictionary<string, string?> { ["staffId"] = user.Id, ["role"] = role, ["oneTimePassword"] = generated ? "yes" : "no" },
            cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StaffAccountResult(true, [], generated ? password : null);
    }

    /// <summary>
    /// Disabling locks the account for good and changes its security stamp, so open sessions end at
    /// their next check (cookies within 5 minutes, live pages within a minute).
    /// </summary>
    public async Task<StaffAccountResult> SetDisabledAsync(string userId, bool disabled, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        if (userId == supervisor.Id)
        {
            return StaffAccountResult.Failed(l["You cannot disable your own account."]);
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null || !(await users.GetRolesAsync(user)).Any(PortalRoles.StaffRoles.Contains))
        {
            return StaffAccountResult.Failed(l["Only staff accounts are managed here."]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.LockoutEnabled = true;
        user.LockoutEnd = disabled ? DisabledUntil : null;
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            return StaffAccountResult.Failed([.. updated.Errors.Select(e => e.Description)]);
        }

        await audit.AppendAsync(db, supervisor, disabled ? AuditActions.StaffDisabled : AuditActions.StaffEnabled,
            details: new Dictionary<string, string?> { ["staffId"] = user.Id }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StaffAccountResult(true, [], null);
    }

    /// <summary>What disabling writes: locked out until the end of the calendar.</summary>
    private static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    /// <summary>
    /// The one rule for "this staff account is disabled", wherever it is asked (staff page, sign-in).
    /// A lockout that ends in the calendar's last year, compared by year because PostgreSQL keeps
    /// microseconds, not ticks; no clock is needed, since an ordinary lockout never reaches that far.
    /// </summary>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end.Year == DisabledUntil.Year;

    public static bool IsDisabled(ApplicationUser user) => IsDisabled(user.LockoutEnd);
}
