using System.Text.Json;
using DsrPortal.Data;

namespace DsrPortal.Features.Notifications;

/// <summary>Adds an email to the caller's unit of work: it is sent if and only if the change commits.</summary>
internal sealed class Outbox(TimeProvider clock)
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Enqueue(ApplicationDbContext db, string template, string recipientUserId, Guid? requestId, IReadOnlyDictionary<string, string> values,
        string? address = null, string? culture = null, long? noticeId = null)
    {
        var now = clock.GetUtcNow();
        db.OutboxMessages.Add(new OutboxMessage
        {
            Template = template,
            RecipientUserId = recipientUserId,
            RequestId = requestId,
            NoticeId = noticeId,
            Address = address,
            Culture = culture,
            // Chinese stays as characters, not \uXXXX escapes: six times shorter.
            Values = JsonSerializer.Serialize(values, RelaxedJson),
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }
}
