using DsrPortal.Hosting;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Verification;

internal static class VerificationExtensions
{
    /// <summary>Proven identifiers: text messages, one-time codes, the phone blind index and step-up for risky requests.</summary>
    public static IHostApplicationBuilder AddPortalVerification(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<VerificationOptions>(VerificationOptions.SectionName);
        builder.AddValidatedOptions<SmsOptions>(SmsOptions.SectionName)
            .Validate(o => o.DeliveryMode != SmsDeliveryMode.Gateway || Uri.TryCreate(o.Gateway.Url, UriKind.Absolute, out _),
                "Sms:Gateway:Url must be an absolute URL when Sms:DeliveryMode is Gateway.")
            .Validate(o => o.Gateway.Method.ToUpperInvariant() is "POST" or "PUT", "Sms:Gateway:Method must be POST or PUT.")
            .Validate(o => System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(o.Gateway.ContentType, out _),
                "Sms:Gateway:ContentType must be a media type such as application/json.");

        var services = builder.Services;
        services.AddHttpClient(HttpGatewaySmsSender.HttpClientName);
        services.AddSingleton<PickupSmsSender>();
        services.AddSingleton(sp => new HttpGatewaySmsSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpGatewaySmsSender.HttpClientName),
            sp.GetRequiredService<IOptions<SmsOptions>>(),
            sp.GetRequiredService<ILogger<HttpGatewaySmsSender>>()));
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<IOptions<SmsOptions>>().Value.DeliveryMode == SmsDeliveryMode.Gateway
            ? sp.GetRequiredService<HttpGatewaySmsSender>()
            : sp.GetRequiredService<PickupSmsSender>());
        services.AddSingleton<PhoneIndex>();
        services.AddSingleton<OneTimeCodes>();
        services.AddSingleton<IdentityConfirmations>();
        services.AddSingleton<PhoneProof>();
        services.AddScoped<RequestConfirmation>();
        services.AddHostedService<VerificationWorker>();
        builder.AddValidatedOptions<Intake.IntakeOptions>(Intake.IntakeOptions.SectionName);
        services.AddSingleton<Intake.GuestLinks>();
        services.AddSingleton<Intake.GuestAccounts>();
        return builder;
    }
}
