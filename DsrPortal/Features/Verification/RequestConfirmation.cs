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
public sealed record ConfirmationTarget(string UserId, string? MaskedPhone, bool PhoneProven, bool HasAuthenticator);

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
    RequestWorkflow workflow,
    IOptions<VerificationOptions> options,
    IStringLocalizer<SharedResource> l)
{
    public bool NeedsStepUp(RequestType type) => options.Value.StepUpTypes.Contains(type);

    /// <summary>How a signed-in submission is verified by itself, or null when the requester must confirm it first.</summary>
    public async Task<string?> MethodAtSubmissionAsync(NewRequest details, CancellationToken cancellationToken)
    {
        if (NeedsStepUp(details.Type))
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var proven = await db.Users.AnyAsync(u => u.Id == details.RequesterId && u.EmailConfirmed && u.PhoneNumberConfirmed, cancellationToken);
        return !proven ? null : details.Relation == RequesterRelation.Guardian ? VerificationLabels.Guardian : VerificationLabels.Session;
    }

    /// <summary>The person who may confirm this request, when it waits for them and <paramref name="actor"/> is that person.</summary>
    public async Task<ConfirmationTarget?> TargetAsync(Guid requestId, RequestActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || request.Status != RequestStatus.AwaitingVerification || actor.IsStaff || RequestWorkflow.Confirmer(request) != actor.UserId)
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
            .Select(u => new { u.ProtectedPhoneNumber, u.PhoneNumberConfirmed, u.TwoFactorEnabled })
            .SingleOrDefaultAsync(cancellationToken);
        return user is null ? null : new ConfirmationTarget(actor.UserId, phones.Masked(user.ProtectedPhoneNumber), user.PhoneNumberConfirmed, user.TwoFactorEnabled);
    }

    /// <summary>Sends the code to the confirmer's proven number; null when the request is not theirs to confirm.</summary>
    public async Task<CodeSent?> SendCodeAsync(Guid requestId, RequestActor actor, string culture, CancellationToken cancellationToken)
    {
        if (await TargetAsync(requestId, actor, cancellationToken) is not { } target)
        {
            return null;
        }

        if (!target.PhoneProven || await ProvenPhoneAsync(target.UserId, cancellationToken) is not { } phone)
        {
            return CodeSent.Refused(l["Prove your mobile number first: the code goes only to a number you have proven."]);
        }

        return await codes.SendAsync(CodePurpose.StepUp, phone, target.UserId, culture, deliver: true, cancellationToken);
    }

    public async Task<ConfirmationResult> ConfirmAsync(Guid requestId, RequestActor actor, string? code, bool authenticator, CancellationToken cancellationToken)
    {
        if (await TargetAsync(requestId, actor, cancellationToken) is not { } target)
        {
            // Not theirs, gone, or no longer waiting: the workflow says which, in its usual words.
            return new ConfirmationResult(await workflow.ConfirmIdentityAsync(requestId, VerificationLabels.SmsCode, actor, cancellationToken), null);
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

            return new ConfirmationResult(await workflow.ConfirmIdentityAsync(requestId, VerificationLabels.Authenticator, actor, cancellationToken), null);
        }

        if (await ProvenPhoneAsync(target.UserId, cancellationToken) is not { } phone)
        {
            return new ConfirmationResult(null, l["Prove your mobile number first: the code goes only to a number you have proven."]);
        }

        var checkedCode = await codes.CheckAsync(CodePurpose.StepUp, phone, target.UserId, code, cancellationToken);
        return checkedCode.Accepted
            ? new ConfirmationResult(await workflow.ConfirmIdentityAsync(requestId, VerificationLabels.SmsCode, actor, cancellationToken), null)
            : new ConfirmationResult(null, checkedCode.Error);
    }

    private async Task<string?> ProvenPhoneAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.PhoneNumberConfirmed)
            .Select(u => u.ProtectedPhoneNumber).SingleOrDefaultAsync(cancellationToken);
        return phones.Unprotect(stored);
    }
}
