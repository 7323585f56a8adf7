using DsrPortal.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace DsrPortal.Localization;

internal static class CultureSwitchEndpoint
{
    /// <summary>
    /// Sets the culture cookie (a year) and, for a signed-in user, remembers the choice on the account
    /// so that emails follow it. A plain form, so it works on static account pages too.
    /// </summary>
    public static async Task<Results<RedirectHttpResult, BadRequest<string>>> SetAsync(
        HttpContext context, UserManager<ApplicationUser> users, TimeProvider clock,
        [Microsoft.AspNetCore.Mvc.FromForm] string? culture, [Microsoft.AspNetCore.Mvc.FromForm] string? redirectUri)
    {
        if (!PortalCultures.IsSupported(culture))
        {
            return TypedResults.BadRequest($"Unsupported language. Choose one of: {string.Join(", ", PortalCultures.Supported)}.");
        }

        var normalized = PortalCultures.Normalize(culture);
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(normalized)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });

        if (context.User.Identity?.IsAuthenticated == true && await users.GetUserAsync(context.User) is { } user
            && user.PreferredCulture != normalized)
        {
            user.PreferredCulture = normalized;
            await users.UpdateAsync(user);
        }

        var target = string.IsNullOrEmpty(redirectUri) ? "/" : redirectUri;
        if (!target.StartsWith('/') || target.StartsWith("//") || target.StartsWith("/\\"))
        {
            target = "/";
        }

        return TypedResults.LocalRedirect(target);
    }
}
