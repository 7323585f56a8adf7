using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Verification;

/// <summary>How text messages (one-time codes) leave the portal: a pickup folder or an HTTP SMS gateway.</summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    /// <summary>Pickup writes one JSON file per message (development); Gateway posts to the operator's SMS provider.</summary>
    public SmsDeliveryMode DeliveryMode { get; set; } = SmsDeliveryMode.Pickup;

    /// <summary>Folder for Pickup mode; relative paths are under the content root.</summary>
    public string PickupDirectory { get; set; } = "App_Data/sms-pickup";

    public SmsGatewayOptions Gateway { get; set; } = new();
}

/// <summary>
/// A provider's HTTP API, described rather than coded: the address, the credentials and the body with
/// <c>{{phone}}</c>, <c>{{phoneE164}}</c>, <c>{{code}}</c> and <c>{{message}}</c>, each escaped for the content type.
/// </summary>
public sealed class SmsGatewayOptions
{
    [Url]
    public string? Url { get; set; }

    /// <summary>POST (default) or PUT.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>application/json (values JSON-escaped) or application/x-www-form-urlencoded (values URL-encoded).</summary>
    public string ContentType { get; set; } = "application/json";

    public string BodyTemplate { get; set; } = """{"to":"{{phoneE164}}","text":"{{message}}"}""";

    /// <summary>HTTP basic authentication, when the provider uses it. Set the password through the environment.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Extra headers, such as an API key (<c>Sms__Gateway__Headers__X-Api-Key</c> from the environment).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;
}

public enum SmsDeliveryMode
{
    Pickup,
    Gateway,
}
