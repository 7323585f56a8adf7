using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Verification;

/// <summary>Who confirms a waiting request, and how: a code to their proven number, or their authenticator app.</summary>
/// <param name="Destination">Where a code goes: the proven number, or for someone without an account and without one, their proven email address.</param>
public sealed record ConfirmationTarget(string UserId, Contact? Destination, bool HasAuthenticator)
{
    public bool CanReceiveCode => Destination is not null;

    public bool ByEmail => Destination?.IsEmail == true;

    public string Masked => Destination?.Masked ?? "";
}

/// <param name="CodeError">The code was not accepted (the request is unchanged); otherwise <paramref name="Result"/> says what happened.</param>
public sealed record ConfirmationResult(WorkflowResult? Result, string? CodeError);

/// <summary>
/// Verification that fits the risk. At submission: a signed-in requester whose email and mobile number are
/// proven is verified by the session, except for the types that need a fresh step-up
/// (<see cref="VerificationOptions.StepUpTypes"/>: exports and deletions by default), which wait in
/// AwaitingVerification. Then: the requester confirms with a code sent to their proven number now, or
/// one from their authenticator app; the method is recorded on the request and in the audit trail.
/// </summary>
internal sealed class RequestConfirmation(
    IDbContextFactory<ApplicationDbContext> contexts,
    OneTimeCodes codes,
    PhoneNumberProtector phones,
    UserManager<ApplicationUser> users,
    IdentityConfirmations confirmations,
    IOptions<VerificationOptions> options,
    IStringLocalizer<SharedResource> l,
    TimeProvider clock)
{
    public bool NeedsStepUp(RequestType type) => options.Value.StepUpTypes.Contains(type);

    /// <summary>
    /// How a signed-in submission is verified by itself, or null when the requester must confirm it first.
    /// A session opened with a one-time code a few minutes ago (someone without an account) counts as the
    /// step-up itself; otherwise a registered account needs its email and number proven, a guest its one identifier.
    /// </summary>
    public async Task<string?> MethodAtSubmissionAsync(NewRequest details, System.Security.Claims.ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var requester = await db.Users.AsNoTracking().Where(u => u.Id == details.RequesterId)
            .Select(u => new { u.IsGuest, u.EmailConfirmed, u.PhoneNumberConfirmed }).SingleOrDefaultAsync(cancellationToken);
        if (requester is null)
        {
            return null;
        }

        if (requester.IsGuest && details.Relation == RequesterRelation.Self
            && Intake.ProofClaims.FreshProof(user, clock.GetUtcNow(), TimeSpan.FromMinutes(options.Value.StepUpMinutes)) is { } fresh)
        {
            return fresh;
        }

        if (NeedsStepUp(details.Type))
        {
            return null;
        }

        if (requester.IsGuest)
        {
            return requester.EmailConfirmed || requester.PhoneNumberConfirmed ? VerificationLabels.GuestSession : null;
        }

        var proven = requester.EmailConfirmed && requester.PhoneNumberConfirmed;
        return !proven ? null : details.Relation == RequesterRelation.Guardian ? VerificationLabels.Guardian : VerificationLabels.Session;
    }

    /// <summary>The person who may confirm this request, when it waits for them and <paramref name="actor"/> is that person.</summary>
    public async Task<ConfirmationTarget?> TargetAsync(Guid requestId, RequestActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || request.Status != RequestStatus.AwaitingVerification || actor.IsStaff || IdentityConfirmations.Confirmer(request) != actor.UserId
            || request.Relation == RequesterRelation.AuthorizedAgent)
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
            .Select(u => new { u.ProtectedPhoneNumber, u.PhoneNumberConfirmed, u.TwoFactorEnabled, u.IsGuest, u.Email, u.EmailConfirmed })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        // A proven number first; someone who came without an account with only an email address gets the code there.
        var destination = user.PhoneNumberConfirmed && phones.Unprotect(user.ProtectedPhoneNumber) is { } phone ? Contact.Phone(phone)
            : user.IsGuest && user.EmailConfirmed && user.Email is not null ? new Contact(ContactKind.Email, user.Email.ToLowerInvariant())
            : null;
        return new ConfirmationTarget(actor.UserId, destination, user.TwoFactorEnabled);
    }

    /// <summary>Sends the code to the confirmer's proven number; null when the request is not theirs to confirm.</summary>
    public async Task<CodeSent?> SendCodeAsync(Guid requestId, RequestActor actor, string culture, CancellationToken cancellationToken)
    {
        if (await TargetAsync(requestId, actor, cancellationToken) is not { } target)
        {
            return null;
        }

        if (target.Destination is not { } destination)
        {
            return CodeSent.Refused(l["Prove your mobile number first: the code goes only to a number you have proven."]);
        }

        return await codes.SendAsync(CodePurpose.StepUp, destination, target.UserId, culture, deliver: true, cancellationToken);
    }

    public async Task<ConfirmationResult> ConfirmAsync(Guid requestId, RequestActor actor, string? code, bool authenticator, CancellationToken cancellationToken)
    {
        if (await TargetAsync(requestId, actor, cancellationToken) is not { } target)
        {
            // Not theirs, gone, or no longer waiting: the workflow says which, in its usual words.
            return new ConfirmationResult(await confirmations.ConfirmAsync(requestId, VerificationLabels.SmsCode, actor, cancellationToken), null);
        }

        if (authenticator)
        {
            var user = await users.FindByIdAsync(target.UserId);
            var digits = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
            if (user is null || !user.TwoFactorEnabled
                || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
            {
                return new ConfirmationResult(null, l["That code is not right. Type the code your authenticator app shows now."]);
            }

            return new ConfirmationResult(await confirmations.ConfirmAsync(requestId, VerificationLabels.Authenticator, actor, cancellationToken), null);
        }

        if (target.Destination is not { } destination)
        {
            return new ConfirmationResult(null, l["Prove your mobile number first: the code goes only to a number you have proven."]);
        }

        var checkedCode = await codes.CheckAsync(CodePurpose.StepUp, destination, target.UserId, code, cancellationToken);
        var method = destination.IsEmail ? VerificationLabels.EmailCode : VerificationLabels.SmsCode;
        return checkedCode.Accepted
            ? new ConfirmationResult(await confirmations.ConfirmAsync(requestId, method, actor, cancellationToken), null)
            : new ConfirmationResult(null, checkedCode.Error);
    }
}
