using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Verification;

/// <param name="PhoneNumber">The normalised mainland number, 11 digits.</param>
/// <param name="Code">The one-time code the text carries, for gateways whose templates send it apart.</param>
public sealed record SmsMessage(string PhoneNumber, string Text, string? Code);

/// <summary>The one way a text message leaves the portal.</summary>
public interface ISmsSender
{
    /// <exception cref="SmsDeliveryException">The message could not be handed over.</exception>
    Task SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

public sealed class SmsDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Development: each message becomes a JSON file in a folder, as email's pickup folder does.</summary>
internal sealed class PickupSmsSender(IOptions<SmsOptions> options, IHostEnvironment environment, TimeProvider clock) : ISmsSender
{
    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        Hosting.PickupFolder.WriteAsync(options.Value.PickupDirectory, environment.ContentRootPath, ".json",
            path => File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
            {
                to = message.PhoneNumber,
                text = message.Text,
                code = message.Code,
                sentAt = clock.GetUtcNow(),
            }), cancellationToken));
}

/// <summary>
/// Any SMS provider with an HTTP API, configured under <c>Sms:Gateway</c>: a 2xx answer means the
/// provider took the message; anything else is a delivery failure the caller reports to the person.
/// </summary>
internal sealed class HttpGatewaySmsSender(HttpClient http, IOptions<SmsOptions> options, ILogger<HttpGatewaySmsSender> logger) : ISmsSender
{
    public const string HttpClientName = "sms-gateway";

    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var gateway = options.Value.Gateway;
        using var request = new HttpRequestMessage(new HttpMethod(gateway.Method.ToUpperInvariant()), gateway.Url)
        {
            Content = new StringContent(Body(gateway, message), Encoding.UTF8, MediaTypeHeaderValue.Parse(gateway.ContentType).MediaType!),
        };
        if (!string.IsNullOrEmpty(gateway.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{gateway.Username}:{gateway.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        foreach (var (name, value) in gateway.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(gateway.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Neither the number nor the code is logged: both are personal or secret.
            logger.LogWarning("The SMS gateway could not be reached: {Error}", e.Message);
            throw new SmsDeliveryException("The SMS gateway could not be reached.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The SMS gateway refused a message with status {Status}", (int)response.StatusCode);
                throw new SmsDeliveryException($"The SMS gateway answered {(int)response.StatusCode}.");
            }
        }
    }

    /// <summary>The configured template with each placeholder escaped for the body's content type.</summary>
    public static string Body(SmsGatewayOptions gateway, SmsMessage message)
    {
        var form = gateway.ContentType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        string Escape(string value) => form
            ? Uri.EscapeDataString(value)
            : JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return gateway.BodyTemplate
            .Replace("{{phoneE164}}", Escape("+86" + message.PhoneNumber), StringComparison.Ordinal)
            .Replace("{{phone}}", Escape(message.PhoneNumber), StringComparison.Ordinal)
            .Replace("{{code}}", Escape(message.Code ?? ""), StringComparison.Ordinal)
            .Replace("{{message}}", Escape(message.Text), StringComparison.Ordinal);
    }
}
