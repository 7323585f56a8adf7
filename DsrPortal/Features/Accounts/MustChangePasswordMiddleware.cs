namespace DsrPortal.Features.Accounts;

/// <summary>
/// A staff member signed in with a one-time password goes to Change password before anything else.
/// </summary>
internal sealed class MustChangePasswordMiddleware(RequestDelegate next)
{
    public const string ChangePasswordPath = "/Account/Manage/ChangePassword";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.HasClaim(PortalClaimsPrincipalFactory.MustChangePasswordClaim, "true")
            && HttpMethods.IsGet(context.Request.Method)
            && !IsAllowed(context.Request.Path))
        {
            context.Response.Redirect(ChangePasswordPath);
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static bool IsAllowed(PathString path) =>
        path.StartsWithSegments("/Account")
        || path.StartsWithSegments("/_framework")
        || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/_blazor")
        || path.StartsWithSegments("/assets")
        || path.StartsWithSegments("/culture")
        || path.StartsWithSegments("/health")
        || Path.HasExtension(path.Value);
}
