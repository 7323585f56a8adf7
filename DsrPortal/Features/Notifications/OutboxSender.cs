using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Notifications;

/// <summary>
/// Delivers pending outbox messages. Each message is leased with a conditional update before it is
/// sent, so two instances polling the same table never send the same email; on PostgreSQL the batch is
/// first taken with <c>FOR UPDATE SKIP LOCKED</c> (<see cref="LeasedRows"/>), so they do not contend for it.
/// </summary>
internal sealed class OutboxSender(
    IDbContextFactory<ApplicationDbContext> contexts,
    EmailTemplates templates,
    EmailDelivery delivery,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    IOptions<EmailOptions> email,
    Intake.GuestLinks guestLinks,
    Verification.ISmsSender sms,
    Accounts.PhoneNumberProtector phones,
    ILogger<OutboxSender> logger)
{
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <returns>How many messages were sent.</returns>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = db.Database.IsNpgsql()
            ? await db.Database.LeaseDueAsync(LeasedTable.OutboxMessages, owner, now, now + settings.Lease, settings.BatchSize, cancellationToken)
            : await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .OrderBy(m => m.Id)
                .Select(m => m.Id)
                .Take(settings.BatchSize)
                .ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var id in due)
        {
            // Each message is (re)leased just before it is sent, the clock read anew: a slow batch must not send a
            // message whose lease expired and went to another instance.
            now = clock.GetUtcNow();
            var leaseUntil = now + settings.Lease;
            var leased = await db.OutboxMessages
                .Where(m => m.Id == id && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now
                    && (m.LeaseOwner == owner || m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, owner).SetProperty(m => m.LeaseUntil, leaseUntil), cancellationToken);
            if (leased == 1 && await DeliverAsync(db, id, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> DeliverAsync(ApplicationDbContext db, long id, CancellationToken cancellationToken)
    {
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        // An anonymised account has neither password nor proven identifier left; a guest (no account, only a
        // proven email address or number) hears by email, or by text message when a number is all it has.
        // A message to an address of its own (a person answering for an authorized agent) goes there: by email, or by text to a number.
        var recipient = message.Address is not null
            ? message.Address.Contains('@') ? new Recipient(message.Address, null, message.Culture ?? "en", null, null) : new Recipient(null, null, message.Culture ?? "en", null, null)
            : await db.Users.AsNoTracking()
                .Where(u => u.Id == message.RecipientUserId && (u.PasswordHash != null || (u.IsGuest && (u.EmailConfirmed || u.PhoneNumberConfirmed))))
                .Select(u => new Recipient(u.IsGuest && !u.EmailConfirmed ? null : u.Email, u.IsGuest && u.PhoneNumberConfirmed ? u.ProtectedPhoneNumber : null,
                    u.PreferredCulture, u.IsGuest ? u.Id : null, u.SecurityStamp))
                .SingleOrDefaultAsync(cancellationToken);
        var phone = recipient?.Email is not null ? null
            : message.Address is not null ? message.Address
            : phones.Unprotect(recipient?.ProtectedPhone);
        if (recipient is null || (recipient.Email is null && phone is null))
        {
            // The account is gone or anonymised: there is nobody left to tell.
            await FinishAsync(db, id, OutboxStatus.Failed, "The recipient account no longer has an email address.");
            return false;
        }

        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Values) ?? [];
            if (message.RequestId is { } requestId)
            {
                var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
                    .Select(r => new { r.ReceivedAt, r.Number }).SingleAsync(cancellationToken);
                values["Reference"] = DataSubjectRequest.FormatReference(request.ReceivedAt, request.Number);
                // A guest has no password to sign in with: the link itself, signed and sent only here, opens the request.
                // A message that carries a link of its own (the answer link to a person an agent named) keeps it.
                values["Link"] = values.TryGetValue("Link", out var own) ? own
                    : recipient.GuestId is { } guest
                    ? guestLinks.Link(guest, recipient.SecurityStamp ?? "", requestId)
                    : $"{email.Value.PortalUrl.TrimEnd('/')}/requests/{requestId}";
            }

            if (message.NoticeId is { } noticeId)
            {
                // A notice's text as its supervisor wrote it, in the recipient's language, and where to read and answer it.
                var notice = await db.Notices.AsNoTracking().SingleAsync(n => n.Id == noticeId, cancellationToken);
                values["Title"] = notice.Title(recipient.Culture);
                values["Body"] = notice.Body(recipient.Culture);
                values["Link"] = $"{email.Value.PortalUrl.TrimEnd('/')}/notices";
            }

            var rendered = await templates.RenderAsync(message.Template, recipient.Culture, recipient.Email ?? "sms@invalid", values, cancellationToken);
            if (recipient.Email is not null)
            {
                await delivery.SendAsync(rendered, cancellationToken);
            }
            else
            {
                // A text message says what the email's subject says, and where to read the rest.
                var text = values.TryGetValue("Link", out var link) ? $"{rendered.Subject} {link}" : rendered.Subject ?? "";
                await sms.SendAsync(new Verification.SmsMessage(phone!, text, null), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await RetryLaterAsync(db, message, exception, cancellationToken);
            return false;
        }

        // Sent: from here on nothing may lead to a second send, not even shutdown.
        await FinishAsync(db, id, OutboxStatus.Sent, null);
        if (message.NoticeId is { } delivered)
        {
            await db.NoticeRecipients.Where(r => r.NoticeId == delivered && r.UserId == message.RecipientUserId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.DeliveredAt, clock.GetUtcNow()), CancellationToken.None);
        }
        return true;
    }

    /// <summary>
    /// After an outage (the mail server down for longer than the retries), every message the outbox gave up
    /// on goes back in line with a fresh set of attempts. Returns how many.
    /// </summary>
    public async Task<int> ResendFailedAsync(Audit.AuditActor actor, Audit.AuditWriter audit, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Pending)
            .SetProperty(m => m.Attempts, 0)
            .SetProperty(m => m.NextAttemptAt, now)
            .SetProperty(m => m.LeaseOwner, (string?)null)
            .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (count > 0)
        {
            await audit.AppendAsync(db, actor, Audit.AuditActions.EmailsResent,
                details: new Dictionary<string, string?> { ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private sealed record Recipient(string? Email, string? ProtectedPhone, string Culture, string? GuestId, string? SecurityStamp);

    private Task FinishAsync(ApplicationDbContext db, long id, OutboxStatus status, string? error)
    {
        var now = clock.GetUtcNow();
        return db.OutboxMessages.Where(m => m.Id == id && m.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.SentAt, status == OutboxStatus.Sent ? now : null)
            // A message to an address of its own may carry a one-off link: nothing of it stays once it is sent.
            // One that failed keeps both, so a supervisor can send it again after an outage.
            .SetProperty(m => m.Address, m => status == OutboxStatus.Sent ? null : m.Address)
            .SetProperty(m => m.Values, m => status == OutboxStatus.Sent && m.Address != null ? "{}" : m.Values)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
            .SetProperty(m => m.LeaseOwner, (string?)null)
            .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    private async Task RetryLaterAsync(ApplicationDbContext db, OutboxMessage message, Exception exception, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempts = message.Attempts + 1;
        var giveUp = attempts >= settings.MaxAttempts;
        var next = clock.GetUtcNow() + settings.FirstRetryDelay * Math.Pow(2, attempts - 1);
        // Type and SMTP status only: a server's message often repeats the recipient's address.
        var error = exception is MailKit.Net.Smtp.SmtpCommandException smtp
            ? $"{exception.GetType().Name}: SMTP {(int)smtp.StatusCode} ({smtp.ErrorCode})"
            : exception.GetType().Name;
        logger.LogWarning("Outbox message {MessageId} attempt {Attempt} failed ({ErrorType}); {Outcome}",
            message.Id, attempts, exception.GetType().Name, giveUp ? "giving up" : "will retry");
        await db.OutboxMessages.Where(m => m.Id == message.Id && m.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, giveUp ? OutboxStatus.Failed : OutboxStatus.Pending)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.LeaseOwner, (string?)null)
            .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }
}
