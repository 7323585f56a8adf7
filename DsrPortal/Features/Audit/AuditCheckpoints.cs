using System.Globalization;
using System.Text.Json;
using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Audit;

/// <summary>A signed statement, kept outside the database: at <see cref="At"/> the trail held <see cref="Sequence"/> events ending in <see cref="Hash"/>.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset At, string Signature);

/// <summary>
/// Writes checkpoints of the verified trail to the folder the operator chose (and, when configured, to
/// the data protection officer by email), and reads them back for <c>audit verify --checkpoint</c>.
/// </summary>
internal sealed class AuditCheckpoints(
    IDbContextFactory<ApplicationDbContext> contexts,
    AuditVerifier verifier,
    AuditKey key,
    IOptions<AuditOptions> options,
    IHostEnvironment environment,
    Notifications.EmailDelivery email,
    TimeProvider clock,
    ILogger<AuditCheckpoints> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory => Path.GetFullPath(options.Value.CheckpointDirectory, environment.ContentRootPath);

    /// <summary>Checkpoints the trail as it stands, after verifying it: a broken trail gets no checkpoint.</summary>
    /// <returns>The file written, or the verification that failed.</returns>
    public async Task<(string? Path, AuditVerification Verification)> WriteAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var verification = await verifier.VerifyAsync(db, cancellationToken);
        if (!verification.Intact || head is null)
        {
            return (null, verification);
        }

        var at = new DateTimeOffset(clock.GetUtcNow().UtcTicks - (clock.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var checkpoint = new AuditCheckpoint(head.LastSequence, head.LastHash, at, key.SignCheckpoint(head.LastSequence, head.LastHash, at));
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"checkpoint-{checkpoint.Sequence:D10}-{at:yyyyMMddTHHmmssZ}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(checkpoint, Json), cancellationToken);
        logger.LogInformation("Audit checkpoint written at event {Sequence}", checkpoint.Sequence);

        if (options.Value.CheckpointEmail is { Length: > 0 } to)
        {
            try
            {
                await email.SendAsync(Message(to, checkpoint), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The file stands; the next checkpoint tries the mailbox again.
                logger.LogWarning("The audit checkpoint could not be emailed ({ErrorType})", e.GetType().Name);
            }
        }

        return (path, verification);
    }

    /// <summary>The newest checkpoint in the folder, or null.</summary>
    public AuditCheckpoint? Latest()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        var newest = System.IO.Directory.GetFiles(Directory, "checkpoint-*.json").Order(StringComparer.Ordinal).LastOrDefault();
        return newest is null ? null : Read(newest).Checkpoint;
    }

    /// <summary>A checkpoint file, with its signature checked; otherwise why it cannot be used.</summary>
    public (AuditCheckpoint? Checkpoint, string? Error) Read(string path)
    {
        AuditCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, $"the checkpoint file {path} cannot be read ({e.GetType().Name})");
        }

        if (checkpoint is null || checkpoint.Hash is null || checkpoint.Signature is null)
        {
            return (null, $"{path} is not an audit checkpoint");
        }

        return key.Matches(checkpoint.Signature, key.SignCheckpoint(checkpoint.Sequence, checkpoint.Hash, checkpoint.At))
            ? (checkpoint, null)
            : (null, $"the checkpoint's signature does not match: {path} was changed, or signed with another key");
    }

    /// <summary>Plain and bilingual on purpose: it goes to the data protection officer's archive, not to a data subject.</summary>
    private static MimeKit.MimeMessage Message(string to, AuditCheckpoint checkpoint)
    {
        var message = new MimeKit.MimeMessage { Subject = $"Audit checkpoint / 审计检查点 {checkpoint.Sequence} {checkpoint.At.ToString("u", CultureInfo.InvariantCulture)}" };
        message.To.Add(MimeKit.MailboxAddress.Parse(to));
        var body = new MimeKit.BodyBuilder
        {
            TextBody = "Keep this attachment. `audit verify --checkpoint FILE` proves the audit trail up to it was not changed.\n"
                + "请保存此附件。运行 `audit verify --checkpoint FILE` 可证明截至此检查点的审计记录未被篡改。\n",
        };
        body.Attachments.Add($"checkpoint-{checkpoint.Sequence:D10}.json", System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkpoint, Json)),
            new MimeKit.ContentType("application", "json"));
        message.Body = body.ToMessageBody();
        return message;
    }
}

/// <summary>Writes a checkpoint every <see cref="AuditOptions.CheckpointInterval"/> when the trail has grown since the last one.</summary>
internal sealed class AuditCheckpointWorker(AuditCheckpoints checkpoints, IDbContextFactory<ApplicationDbContext> contexts, IOptions<AuditOptions> options,
    TimeProvider clock, ILogger<AuditCheckpointWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CheckpointInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                var last = await db.AuditHeads.AsNoTracking().Select(h => h.LastSequence).SingleOrDefaultAsync(stoppingToken);
                if (last > (checkpoints.Latest()?.Sequence ?? 0))
                {
                    var (path, verification) = await checkpoints.WriteAsync(stoppingToken);
                    if (path is null)
                    {
                        logger.LogError("No audit checkpoint written: the trail does not verify ({Problem})", verification.ToString());
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The audit checkpoint could not be written ({ErrorType})", e.GetType().Name);
            }
        }
    }
}
