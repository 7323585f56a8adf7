using System.Security.Cryptography;
using System.Text;
using DsrPortal.Data;
using DsrPortal.Features.Settings;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Verification;

public enum CodeSendOutcome
{
    Sent = 1,
    /// <summary>Too soon after the last code to this number: <see cref="CodeSent.RetryAfter"/> says how long to wait.</summary>
    Throttled = 2,
    /// <summary>The SMS sender failed; nothing was counted against the person.</summary>
    DeliveryFailed = 3,
    /// <summary>Not a number the code may go to (not a valid mobile number, or not proven where a proven one is needed).</summary>
    Refused = 4,
}

/// <summary>What became of a request for a code.</summary>
public sealed record CodeSent(CodeSendOutcome Outcome, string? Error, TimeSpan RetryAfter)
{
    public bool Sent => Outcome == CodeSendOutcome.Sent;

    public static CodeSent Ok(TimeSpan retryAfter) => new(CodeSendOutcome.Sent, null, retryAfter);

    public static CodeSent Refused(string error) => new(CodeSendOutcome.Refused, error, TimeSpan.Zero);
}

/// <summary>What became of a code someone typed.</summary>
public sealed record CodeChecked(bool Accepted, string? Error)
{
    public static readonly CodeChecked Ok = new(true, null);
}

/// <summary>
/// Issues and checks one-time codes sent by text message: 6 digits, valid for
/// <see cref="VerificationOptions.CodeLifetimeMinutes"/>, at most <see cref="VerificationOptions.MaxAttempts"/>
/// tries, resends throttled per number, stored as a keyed hash, and used once.
/// </summary>
internal sealed class OneTimeCodes(
    IDbContextFactory<ApplicationDbContext> contexts,
    PortalSecrets secrets,
    PhoneIndex phoneIndex,
    ISmsSender sms,
    Notifications.EmailTemplates templates,
    Notifications.EmailDelivery email,
    IOptions<VerificationOptions> options,
    IStringLocalizer<SharedResource> l,
    TimeProvider clock,
    ILogger<OneTimeCodes> logger)
{
    /// <param name="deliver">False issues the code (so throttling and answers look the same) without sending it:
    /// a sign-in code to a number no account has proven goes nowhere.</param>
    public Task<CodeSent> SendAsync(CodePurpose purpose, string normalizedPhone, string? userId, string culture, bool deliver, CancellationToken cancellationToken) =>
        SendAsync(purpose, Contact.Phone(normalizedPhone), userId, culture, deliver, cancellationToken);

    /// <summary>Sends a code to a number by text message, or to an email address by email.</summary>
    public async Task<CodeSent> SendAsync(CodePurpose purpose, Contact contact, string? userId, string culture, bool deliver, CancellationToken cancellationToken)
    {
        var rules = options.Value;
        var target = await phoneIndex.OfAsync(contact, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var recent = await db.OneTimeCodes.AsNoTracking()
            .Where(c => c.Target == target && c.CreatedAt > now.AddHours(-1))
            .Select(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        var wait = Throttle(recent, now, rules);
        if (wait == TimeSpan.Zero && userId is not null)
        {
            // Per account too: one account cycling through many numbers (SMS pumping) hits the same hourly cap, doubled.
            var mine = await db.OneTimeCodes.AsNoTracking()
                .Where(c => c.UserId == userId && c.CreatedAt > now.AddHours(-1))
                .Select(c => c.CreatedAt)
                .ToListAsync(cancellationToken);
            if (mine.Count >= rules.MaxCodesPerHour * 2)
            {
                var accountWait = mine.Order().ElementAt(mine.Count - rules.MaxCodesPerHour * 2) + TimeSpan.FromHours(1) - now;
                return new CodeSent(CodeSendOutcome.Throttled,
                    l["You asked for many codes in the last hour. You can ask for another in {0} minutes.", (int)Math.Ceiling(accountWait.TotalMinutes)], accountWait);
            }
        }

        if (wait > TimeSpan.Zero)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            return new CodeSent(CodeSendOutcome.Throttled, contact.IsEmail
                ? l["A code was sent to this address a moment ago. You can ask for another in {0} seconds.", seconds]
                : l["A code was sent to this number a moment ago. You can ask for another in {0} seconds.", seconds], wait);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var id = Guid.NewGuid();
        var issued = OneTimeCode.Issue(id, purpose, target, userId, await HashAsync(id, code, cancellationToken), now, TimeSpan.FromMinutes(rules.CodeLifetimeMinutes));
        db.OneTimeCodes.Add(issued);
        await db.SaveChangesAsync(cancellationToken);

        if (deliver)
        {
            try
            {
                await DeliverAsync(contact, code, culture, rules, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("One-time code {CodeId} could not be delivered ({ErrorType})", id, e.GetType().Name);
                // Not counted against the person: they did nothing wrong, and may try again at once.
                db.OneTimeCodes.Remove(issued);
                await db.SaveChangesAsync(CancellationToken.None);
                return new CodeSent(CodeSendOutcome.DeliveryFailed, contact.IsEmail
                    ? l["The email could not be sent just now. Try again in a minute."]
                    : l["The text message could not be sent just now. Try again in a minute."], TimeSpan.Zero);
            }
        }

        logger.LogInformation("One-time code {CodeId} issued for {Purpose}", id, purpose);
        return CodeSent.Ok(TimeSpan.FromSeconds(rules.ResendSeconds));
    }

    /// <summary>
    /// Checks the newest code for this purpose, number and account. Each check uses up a try before the
    /// code is compared, atomically, so parallel guesses cannot exceed the limit; a right code is used up.
    /// </summary>
    public Task<CodeChecked> CheckAsync(CodePurpose purpose, string normalizedPhone, string? userId, string? typed, CancellationToken cancellationToken) =>
        CheckAsync(purpose, Contact.Phone(normalizedPhone), userId, typed, cancellationToken);

    public async Task<CodeChecked> CheckAsync(CodePurpose purpose, Contact contact, string? userId, string? typed, CancellationToken cancellationToken)
    {
        var digits = new string((typed ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.Length != OneTimeCode.Digits || !digits.All(char.IsAsciiDigit))
        {
            return new CodeChecked(false, contact.IsEmail ? l["Enter the 6-digit code from the email."] : l["Enter the 6-digit code from the text message."]);
        }

        var rules = options.Value;
        var target = await phoneIndex.OfAsync(contact, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var code = await db.OneTimeCodes.AsNoTracking()
            .Where(c => c.Target == target && c.Purpose == purpose && c.UserId == userId)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (code is null || code.ConsumedAt is not null)
        {
            return new CodeChecked(false, NoCode(contact));
        }

        if (code.ExpiresAt <= now)
        {
            return new CodeChecked(false, l["This code has expired. Ask for a new one."]);
        }

        var counted = await db.OneTimeCodes
            .Where(c => c.Id == code.Id && c.Attempts < rules.MaxAttempts && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        if (counted == 0)
        {
            return new CodeChecked(false, l["Too many wrong tries for this code. Ask for a new one."]);
        }

        var expected = Convert.FromHexString(code.CodeHash);
        var actual = Convert.FromHexString(await HashAsync(code.Id, digits, cancellationToken));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            var left = rules.MaxAttempts - code.Attempts - 1;
            return left > 0
                ? new CodeChecked(false, l["That code is not right. You have {0} more tries.", left])
                : new CodeChecked(false, l["Too many wrong tries for this code. Ask for a new one."]);
        }

        var used = await db.OneTimeCodes
            .Where(c => c.Id == code.Id && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken);
        return used == 1 ? CodeChecked.Ok : new CodeChecked(false, NoCode(contact));
    }

    private string NoCode(Contact contact) =>
        contact.IsEmail ? l["There is no code waiting for this address. Ask for a new one."] : l["There is no code waiting for this number. Ask for a new one."];

    private async Task DeliverAsync(Contact contact, string code, string culture, VerificationOptions rules, CancellationToken cancellationToken)
    {
        if (contact.IsEmail)
        {
            var minutes = rules.CodeLifetimeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var message = await templates.RenderAsync("one-time-code", culture, contact.Value,
                new Dictionary<string, string> { ["Code"] = code, ["Minutes"] = minutes }, cancellationToken);
            await email.SendAsync(message, cancellationToken);
            return;
        }

        string text;
        using (PortalCultures.Use(culture))
        {
            text = l["{0} is your Privacy Portal code. It expires in {1} minutes. Never share it with anyone, including our staff.", code, rules.CodeLifetimeMinutes];
        }

        await sms.SendAsync(new SmsMessage(contact.Value, text, code), cancellationToken);
    }

    /// <summary>Codes older than a day: expired long ago, and no longer needed for throttling.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddDays(-1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.OneTimeCodes.Where(c => c.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>How long before another code may go to the number: the resend pause, then the hourly cap.</summary>
    internal static TimeSpan Throttle(IReadOnlyCollection<DateTimeOffset> sentInLastHour, DateTimeOffset now, VerificationOptions rules)
    {
        if (sentInLastHour.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var pause = sentInLastHour.Max() + TimeSpan.FromSeconds(rules.ResendSeconds) - now;
        var cap = sentInLastHour.Count >= rules.MaxCodesPerHour
            ? sentInLastHour.Order().ElementAt(sentInLastHour.Count - rules.MaxCodesPerHour) + TimeSpan.FromHours(1) - now
            : TimeSpan.Zero;
        var wait = pause > cap ? pause : cap;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private async ValueTask<string> HashAsync(Guid id, string code, CancellationToken cancellationToken)
    {
        var key = await secrets.KeyAsync(SecretKey.OneTimeCodes, cancellationToken);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id:N}:{code}")));
    }
}
