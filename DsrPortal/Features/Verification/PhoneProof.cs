using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Verification;

/// <param name="Taken">The code was right, but another account has proven this number.</param>
public sealed record PhoneProofResult(bool Proven, string? Error, bool Taken = false)
{
    public static readonly PhoneProofResult Ok = new(true, null);

    public static PhoneProofResult Failed(string error) => new(false, error);
}

/// <summary>
/// A mobile number becomes an account's identifier only here: its owner types the code sent to it.
/// Until then the number is stored but matches nothing in the company's systems. A proven number
/// belongs to one account (a unique blind index); proving it elsewhere is refused with the way back
/// to the account that holds it, which only the number's owner ever sees.
/// </summary>
internal sealed class PhoneProof(
    IDbContextFactory<ApplicationDbContext> contexts,
    OneTimeCodes codes,
    PhoneIndex phoneIndex,
    PhoneNumberProtector phones,
    AuditWriter audit,
    IdentityConfirmations confirmations,
    IStringLocalizer<SharedResource> l)
{
    /// <summary>Sends a code to the number the account holder wants to prove (their current one or a new one).</summary>
    public async Task<CodeSent> SendCodeAsync(string userId, string? phoneInput, string culture, CancellationToken cancellationToken)
    {
        if (PhoneNumbers.Normalize(phoneInput) is not { } phone)
        {
            return CodeSent.Refused(l["Enter an 11-digit mainland China mobile number, for example 13812345678."]);
        }

        return await codes.SendAsync(CodePurpose.ProvePhone, phone, userId, culture, deliver: true, cancellationToken);
    }

    public async Task<PhoneProofResult> ProveAsync(string userId, string? phoneInput, string? code, CancellationToken cancellationToken)
    {
        if (PhoneNumbers.Normalize(phoneInput) is not { } phone)
        {
            return PhoneProofResult.Failed(l["Enter an 11-digit mainland China mobile number, for example 13812345678."]);
        }

        var checkedCode = await codes.CheckAsync(CodePurpose.ProvePhone, phone, userId, code, cancellationToken);
        if (!checkedCode.Accepted)
        {
            return PhoneProofResult.Failed(checkedCode.Error!);
        }

        var index = await phoneIndex.OfAsync(phone, cancellationToken);
        // Protected outside the transaction: the first Protect call may write a new key (decision 0006).
        var protectedPhone = phones.Protect(phone);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(u => u.PhoneNumberIndex == index && u.Id != userId, cancellationToken))
        {
            return new PhoneProofResult(false, NumberTaken(), Taken: true);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return PhoneProofResult.Failed(l["There is no code waiting for this number. Ask for a new one."]);
        }

        var changed = user.PhoneNumberIndex is not null && user.PhoneNumberIndex != index;
        user.ProtectedPhoneNumber = protectedPhone;
        user.PhoneNumberIndex = index;
        user.PhoneNumberConfirmed = true;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditActor(userId, PortalRoles.Subject), AuditActions.PhoneNumberProven, subjectId: userId,
            details: new Dictionary<string, string?> { ["method"] = "sms-code", ["changed"] = changed ? "true" : "false" },
            cancellationToken: cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another account proved the same number a moment ago: the unique index decided.
            return new PhoneProofResult(false, NumberTaken(), Taken: true);
        }

        // The code was typed just now: it confirms whatever requests were waiting for this person.
        await confirmations.ConfirmWaitingAfterProofAsync(userId, cancellationToken);
        return PhoneProofResult.Ok;
    }

    /// <summary>The account whose proven number this is, for signing in with a code; null when none.</summary>
    public async Task<ApplicationUser?> FindByProvenPhoneAsync(string normalizedPhone, CancellationToken cancellationToken)
    {
        var index = await phoneIndex.OfAsync(normalizedPhone, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.PhoneNumberIndex == index && u.PhoneNumberConfirmed, cancellationToken);
    }

    private string NumberTaken() =>
        l["This mobile number already belongs to another account on the portal. Sign in to that account, or reset its password with \"Forgot your password?\"; if you no longer have its email address, contact customer service."];
}
