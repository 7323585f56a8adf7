using DsrPortal.Hosting;

namespace DsrPortal.Features.Audit;

internal static class AuditExtensions
{
    public static IHostApplicationBuilder AddPortalAudit(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AuditOptions>(AuditOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.SigningKey) || IsKey(o.SigningKey), "Audit:SigningKey must be base64 of at least 32 bytes.");
        builder.Services.AddSingleton<AuditKey>();
        builder.Services.AddSingleton<AuditCheckpoints>();
        builder.Services.AddHostedService<AuditCheckpointWorker>();
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddSingleton<AuditVerifier>();
        builder.Services.AddSingleton<AuditLog>();
        return builder;
    }

    private static bool IsKey(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var length) && length >= 32;
    }
}
