namespace DsrPortal.Features.Audit;

internal static class AuditExtensions
{
    public static IHostApplicationBuilder AddPortalAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddSingleton<AuditVerifier>();
        return builder;
    }
}
