using DsrPortal.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Accounts;

/// <summary>
/// Identity's sign-in, answering the same whether or not an account exists: an unknown address costs
/// the same password hashing and locks out after the same number of tries as a real account, and only
/// someone who knows the password learns that the account's email is unconfirmed.
/// </summary>
internal sealed class PortalSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    UnknownSignIns unknownAccounts,
    IPasswordHasher<ApplicationUser> hasher,
    UserSessions sessions)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly ApplicationUser Nobody = new() { Id = "nobody" };

    /// <summary>
    /// Every sign-in (password, two-factor, code, signed link, the app's token) opens a server-side session
    /// whose id the cookie or token carries; refreshing the same browser's sign-in keeps its session.
    /// </summary>
    public override async Task SignInWithClaimsAsync(ApplicationUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        var given = additionalClaims.ToList();
        var claims = given.Where(c => c.Type is not (UserSession.ClaimType or UserSession.GenerationClaimType)).ToList();
        var kind = AuthenticationScheme == IdentityConstants.BearerScheme ? SessionKind.App : SessionKind.Web;
        var current = Context.User;
        Guid? session = kind == SessionKind.Web && current.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value == user.Id
            && await sessions.IsOpenAsync(current) ? UserSession.IdOf(current) : null;
        // A refresh (server code only, never a caller's input) passes the app session and its new generation on.
        var generation = "0";
        if (kind == SessionKind.App && given.FirstOrDefault(c => c.Type == UserSession.ClaimType) is { } kept && Guid.TryParse(kept.Value, out var keptId))
        {
            session = keptId;
            generation = given.FirstOrDefault(c => c.Type == UserSession.GenerationClaimType)?.Value ?? "0";
        }

        session ??= await sessions.StartAsync(user.Id, kind, Context.Request.Headers.UserAgent.ToString());
        if (kind == SessionKind.Web)
        {
            await sessions.RememberTimeZoneAsync(user.Id, Context.Request.Cookies[Localization.ReaderTime.CookieName]);
        }

        claims.Add(new System.Security.Claims.Claim(UserSession.ClaimType, session.Value.ToString()));
        if (kind == SessionKind.App)
        {
            claims.Add(new System.Security.Claims.Claim(UserSession.GenerationClaimType, generation));
        }
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    /// <summary>
    /// Signing out ends this browser's session on the server, so a copied cookie is refused at once, and
    /// with it every app token of the account issued before: sign-out means signed out.
    /// </summary>
    public override async Task SignOutAsync()
    {
        var userId = Context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (userId is not null && UserSession.IdOf(Context.User) is { } session)
        {
            await sessions.EndAsync(userId, session);
            await sessions.EndAllAsync(userId, keep: null, SessionKind.App);
        }

        await base.SignOutAsync();
    }
    private static string? dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        return user is null
            ? await UnknownAccountAsync(userName, password, lockoutOnFailure)
            : await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(ApplicationUser user, string password, bool lockoutOnFailure)
    {
        if (await UserManager.IsLockedOutAsync(user))
        {
            // The same hashing as every other answer, so a locked account does not answer faster.
            await UserManager.CheckPasswordAsync(user, password);
            return SignInResult.LockedOut;
        }

        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        if (!result.IsNotAllowed || await UserManager.CheckPasswordAsync(user, password))
        {
            return result;
        }

        // Identity says "not allowed" (email unconfirmed) before it looks at the password: for a wrong
        // password that would tell a stranger the account exists. Count it as the failure it is.
        if (lockoutOnFailure && UserManager.SupportsUserLockout)
        {
            await UserManager.AccessFailedAsync(user);
            if (await UserManager.IsLockedOutAsync(user))
            {
                return SignInResult.LockedOut;
            }
        }

        return SignInResult.Failed;
    }

    /// <summary>
    /// A sign-in to an address with no account: hashes the password as for a real one and counts the
    /// failures per address, locking it out after as many as a real account, for as long.
    /// </summary>
    public Task<SignInResult> UnknownAccountAsync(string userName, string password, bool lockoutOnFailure)
    {
        dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, dummyHash, password ?? "");
        if (!lockoutOnFailure)
        {
            return Task.FromResult(SignInResult.Failed);
        }

        var lockout = Options.Lockout;
        var key = "unknown-sign-in:" + userName.Trim().ToUpperInvariant();
        var failures = unknownAccounts.Cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = lockout.DefaultLockoutTimeSpan;
            entry.Size = 1;
            return new Failures();
        })!;
        var count = Interlocked.Increment(ref failures.Count);
        return Task.FromResult(count >= lockout.MaxFailedAccessAttempts ? SignInResult.LockedOut : SignInResult.Failed);
    }

    private sealed class Failures
    {
        public int Count;
    }
}

/// <summary>Failed sign-ins to addresses without an account, per address, in this instance's memory (bounded).</summary>
internal sealed class UnknownSignIns : IDisposable
{
    public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public void Dispose() => Cache.Dispose();
}
