using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DsrPortal.Data;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Webhooks;

/// <summary>The events the company's systems can subscribe to.</summary>
public static class WebhookEvents
{
    /// <summary>A person refused or allowed a use of their data (<c>purpose</c>, <c>decision</c>, <c>channel</c>).</summary>
    public const string PreferenceChanged = "preference.changed";

    /// <summary>A person withdrew their agreement to the privacy policy (<c>policyVersion</c>, <c>channel</c>).</summary>
    public const string PolicyWithdrawn = "policy.withdrawn";

    /// <summary>A person agreed to the policy in force after registering (a new version, or again after withdrawing).</summary>
    public const string PolicyAgreed = "policy.agreed";

    /// <summary>A guardian withdrew their consent for a minor's use of the service; the subject is the minor.</summary>
    public const string GuardianConsentWithdrawn = "guardian-consent.withdrawn";

    public static readonly IReadOnlyList<string> All = [PreferenceChanged, PolicyWithdrawn, PolicyAgreed, GuardianConsentWithdrawn];
}

/// <summary>
/// Adds an event to the caller's unit of work: to the change feed, and for every endpoint that wants it a delivery.
/// It is told if and only if the change commits, and keeps being offered until the endpoint takes it.
/// </summary>
internal sealed class WebhookOutbox(IOptionsMonitor<WebhookOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Enqueue(ApplicationDbContext db, string @event, string subjectId, IReadOnlyDictionary<string, string> data)
    {
        var now = clock.GetUtcNow();
        var json = JsonSerializer.Serialize(data, RelaxedJson);
        db.ChangeFeedEntries.Add(new ChangeFeedEntry { Event = @event, SubjectId = subjectId, Data = json, OccurredAt = now });
        foreach (var endpoint in options.CurrentValue.Endpoints.Where(e => e.Wants(@event)))
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Endpoint = endpoint.Name,
                Event = @event,
                SubjectId = subjectId,
                Data = json,
                OccurredAt = now,
                NextAttemptAt = now,
            });
        }
    }
}

/// <summary>
/// The signature every delivery carries in <c>X-DsrPortal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>: an
/// HMAC-SHA256, under the endpoint's secret, of the time, a dot and the body exactly as sent. A receiver
/// recomputes it and refuses a delivery whose time is more than five minutes from its own clock (a replay).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-DsrPortal-Signature";

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Create(string secret, DateTimeOffset time, string body)
    {
        var timestamp = time.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: the signature matches the body and was made within the tolerance of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var given))
        {
            return false;
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - signedAt).Duration() > Tolerance)
        {
            return false;
        }

        var expected = Create(secret, signedAt, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes($"t={t},v1={given}"));
    }
}
