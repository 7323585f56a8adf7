using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Localization;

/// <summary>Identity's own errors (duplicate email, short password...) in the user's language.</summary>
internal sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = l["An account with this email address already exists. Sign in, or reset your password."] };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = l["An account with this email address already exists. Sign in, or reset your password."] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = l["Enter a valid email address."] };

    public override IdentityError InvalidUserName(string? userName) =>
        new() { Code = nameof(InvalidUserName), Description = l["Enter a valid email address."] };

    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = l["Use a password of at least {0} characters; a passphrase of several words is best.", length] };

    public override IdentityError PasswordMismatch() =>
        new() { Code = nameof(PasswordMismatch), Description = l["The current password is not correct."] };

    public override IdentityError InvalidToken() =>
        new() { Code = nameof(InvalidToken), Description = l["This link has expired or was already used. Ask for a new one."] };

    public override IdentityError DefaultError() =>
        new() { Code = nameof(DefaultError), Description = l["Something went wrong. Nothing was changed; please try again."] };

    public override IdentityError ConcurrencyFailure() =>
        new() { Code = nameof(ConcurrencyFailure), Description = l["Your account was changed elsewhere in the meantime. Reload and try again."] };

    public override IdentityError UserAlreadyHasPassword() =>
        new() { Code = nameof(UserAlreadyHasPassword), Description = l["This account already has a password."] };

    public override IdentityError RecoveryCodeRedemptionFailed() =>
        new() { Code = nameof(RecoveryCodeRedemptionFailed), Description = l["That recovery code is not valid."] };
}
