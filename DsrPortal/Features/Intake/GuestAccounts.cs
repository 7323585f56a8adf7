using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Verification;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Intake;

public enum GuestProofOutcome
{
    /// <summary>The code was right: <see cref="GuestProof.User"/> is the guest account to sign in.</summary>
    Proven = 1,
    /// <summary>The code was not accepted; <see cref="GuestProof.Error"/> says why.</summary>
    WrongCode = 2,
    /// <summary>The code was right, but a registered account holds this address or number: its owner signs in instead.</summary>
    HasAccount = 3,
}

public sealed record GuestProof(GuestProofOutcome Outcome, ApplicationUser? User, string? Error);

/// <summary>
/// Intake without an account. A person proves an email address or a mobile number with a one-time code
/// (the same rules as every code); the portal then keeps a password-less guest account holding just that
/// proven identifier, so the request, its messages, emails and download work as for anyone else, and the
/// company's data is matched on that identifier alone. An identifier a registered account holds is never
/// taken over: its owner is sent to sign in.
/// </summary>
internal sealed class GuestAccounts(
    IDbContextFactory<ApplicationDbContext> contexts,
    OneTimeCodes codes,
    PhoneIndex index,
    PhoneNumberProtector phones,
    AuditWriter audit,
    IStringLocalizer<SharedResource> l,
    TimeProvider clock)
{
    public Task<CodeSent> SendCodeAsync(Contact contact, string culture, CancellationToken cancellationToken) =>
        codes.SendAsync(CodePurpose.Intake, contact, userId: null, culture, deliver: true, cancellationToken);

    public async Task<GuestProof> ProveAsync(Contact contact, string? code, string culture, CancellationToken cancellationToken)
    {
        var checkedCode = await codes.CheckAsync(CodePurpose.Intake, contact, null, code, cancellationToken);
        if (!checkedCode.Accepted)
        {
            return new GuestProof(GuestProofOutcome.WrongCode, null, checkedCode.Error);
        }

        // Protected and indexed outside the transaction: the first Protect call may write a new key (decision 0006).
        var phoneIndex = contact.IsEmail ? null : await index.OfAsync(contact.Value, cancellationToken);
        var protectedPhone = contact.IsEmail ? null : phones.Protect(contact.Value);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var existing = contact.IsEmail
                ? await db.Users.Where(u => u.NormalizedEmail == contact.Value.ToUpperInvariant()).OrderBy(u => u.IsGuest).FirstOrDefaultAsync(cancellationToken)
                : await db.Users.SingleOrDefaultAsync(u => u.PhoneNumberIndex == phoneIndex, cancellationToken);
            if (existing is { IsGuest: false })
            {
                return new GuestProof(GuestProofOutcome.HasAccount, null, l["An account on this portal already uses this address or number. Sign in to make your request there (use \"Forgot your password?\" if you need to)."]);
            }

            if (existing is not null && existing.LockoutEnd == DateTimeOffset.MaxValue)
            {
                // A guest account erased at its owner's request stays closed: the proof opens a new one.
                existing = null;
            }

            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var user = existing ?? await AddGuestAsync(db, contact, proven: true, phoneIndex, protectedPhone, culture, now, cancellationToken);
            if (existing is not null)
            {
                existing.PreferredCulture = PortalCultures.Normalize(culture);
            }

            await audit.AppendAsync(db, new AuditActor(user.Id, PortalRoles.Subject), AuditActions.GuestProven, subjectId: user.Id,
                details: new Dictionary<string, string?>
                {
                    ["method"] = contact.IsEmail ? "email-code" : "sms-code",
                    ["new"] = existing is null ? "true" : "false",
                }, cancellationToken: cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new GuestProof(GuestProofOutcome.Proven, user, null);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Two first proofs of the same address at once: the unique index decided; the next round finds the winner.
            }
        }
    }

    /// <summary>User names of guest accounts start with this; the top bar shows them as "signed in without an account".</summary>
    public const string UserNamePrefix = "guest-";

    /// <summary>
    /// Adds a guest account (in the Subject role) to the caller's unit of work, holding one identifier:
    /// proven by a code just typed, or unproven when someone else named it (an authorized agent), in which
    /// case it matches nothing until its owner answers.
    /// </summary>
    public static async Task<ApplicationUser> AddGuestAsync(
        ApplicationDbContext db, Contact contact, bool proven, string? phoneIndex, string? protectedPhone, string culture, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var userName = UserNamePrefix + Guid.NewGuid().ToString("N");
        var user = new ApplicationUser
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = contact.IsEmail ? contact.Value : null,
            NormalizedEmail = contact.IsEmail ? contact.Value.ToUpperInvariant() : null,
            EmailConfirmed = proven && contact.IsEmail,
            ProtectedPhoneNumber = protectedPhone,
            PhoneNumberIndex = proven ? phoneIndex : null,
            PhoneNumberConfirmed = proven && !contact.IsEmail,
            PreferredCulture = PortalCultures.Normalize(culture),
            IsGuest = true,
            LockoutEnabled = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
        };
        db.Users.Add(user);
        var subjectRole = await db.Roles.Where(r => r.Name == PortalRoles.Subject).Select(r => r.Id).SingleAsync(cancellationToken);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = subjectRole });
        return user;
    }
}
