using DsrPortal.Components.Account;
using DsrPortal.Data;
using DsrPortal.Hosting;
using DsrPortal.Features.Policies;
using DsrPortal.Localization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DsrPortal.Features.Accounts;

internal static class AccountsExtensions
{
    public static IHostApplicationBuilder AddPortalIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        authentication.AddIdentityCookies();
        // Beyond Identity's stamp check, each request's cookie must name a session still open on the server.
        services.ConfigureApplicationCookie(o => o.Events.OnValidatePrincipal = async context =>
        {
            await SecurityStampValidator.ValidatePrincipalAsync(context);
            if (context.Principal is { } principal
                && !await context.HttpContext.RequestServices.GetRequiredService<UserSessions>().IsOpenAsync(principal, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            }
        });
        services.AddSingleton<UserSessions>();
        // The mobile app's tokens (see Features/Api); only the API's endpoints accept them.
        // Access tokens are short; the app renews them with POST /api/v1/auth/refresh, whose tokens rotate (UserSession.RefreshGeneration).
        authentication.AddBearerToken(IdentityConstants.BearerScheme, o =>
        {
            o.BearerTokenExpiration = TimeSpan.FromMinutes(15);
            o.RefreshTokenExpiration = TimeSpan.FromDays(14);
        });
        services.AddAuthorization();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                // Length, not composition (NIST SP 800-63B, OWASP ASVS 5.0): passphrases welcome.
                options.Password.RequiredLength = PortalLimits.PasswordMinLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ApplicationDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();

        // OWASP's current figure for PBKDF2-HMAC-SHA512; older hashes are upgraded at the next sign-in.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 220_000);
        // A disabled or changed account loses its cookie within minutes, not the default 30.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(5);
            // The refreshed principal keeps its session id (Identity rebuilds the claims from the account).
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(UserSession.ClaimType) is { } session && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    identity.AddClaim(new System.Security.Claims.Claim(UserSession.ClaimType, session.Value));
                }

                return Task.CompletedTask;
            };
        });

        var keyRing = services.AddDataProtection()
            .SetApplicationName("DsrPortal")
            .PersistKeysToDbContext<ApplicationDbContext>();
        // With a certificate, the key ring is encrypted at rest: the database alone no longer reveals
        // phone numbers, erasure plans or evidence (decision 0006). Its password comes from the environment.
        var keyRingCertificate = builder.AddOptionsValidatedNow(KeyRingCertificateOptions.SectionName, new KeyRingCertificateOptionsValidator(builder.Environment));
        if (keyRingCertificate.ResolvedPath(builder.Environment.ContentRootPath) is { } path)
        {
            var certificate = LoadCertificate(path, keyRingCertificate.CertificatePassword);
            // Given for decryption too: on Linux there is no machine certificate store to find it in.
            keyRing.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        builder.AddValidatedOptions<PublicFormLimitOptions>(PublicFormLimitOptions.SectionName);
        services.AddPublicFormLimits();
        services.AddSingleton<SignInThrottle>();
        builder.AddValidatedOptions<BotCheckOptions>(BotCheckOptions.SectionName);
        services.AddMemoryCache();
        services.AddSingleton<BotCheck>();
        services.AddSingleton<UnknownSignIns>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PhoneNumberProtector>();
        services.AddSingleton<PolicyService>();
        services.AddScoped<SubjectRegistrationService>();
        services.AddScoped<Staff.StaffAccountService>();
        return builder;
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException exception)
        {
            throw new OptionsValidationException(KeyRingCertificateOptions.SectionName, typeof(KeyRingCertificateOptions),
                [$"DataProtection:CertificatePath names {path}, which could not be opened as a PFX certificate with DataProtection:CertificatePassword ({exception.Message.Trim()})."]);
        }
    }
}
