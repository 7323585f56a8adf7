using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static DsrPortal.Features.Requests.RequestRuleException;

namespace DsrPortal.Features.ManualTasks;

public enum ManualTaskAnswer
{
    /// <summary>Deleted (a deletion), or the export file uploaded (an export).</summary>
    Done = 1,
    /// <summary>The system holds nothing about the person.</summary>
    NothingHeld = 2,
    /// <summary>Kept, with the reason the requester is told.</summary>
    Kept = 3,
}

/// <summary>
/// What a system's owner is asked to do by hand for one request: found by the hash of its link's token, answered once.
/// The answer's note is shown to the requester; the file (an export) joins their ZIP and is then deleted.
/// </summary>
public sealed class ManualTask
{
    public const int NoteMaxLength = 2000;
    public const int FileNameMaxLength = 200;

    private ManualTask()
    {
    }

    public Guid Id { get; private set; }

    public Guid RequestId { get; private set; }

    public string System { get; private set; } = "";

    public FulfilmentKind Kind { get; private set; }

    /// <summary>SHA-256 of the link's token: the link is looked up by it, and the token itself is never stored in the clear.</summary>
    public string TokenHash { get; private set; } = "";

    /// <summary>The token, encrypted, so a reminder sends the same link.</summary>
    public string ProtectedToken { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RemindedAt { get; private set; }

    public int Reminders { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public ManualTaskAnswer? Answer { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The uploaded export file's name as the owner gave it (only its last part, cleaned).</summary>
    public string? FileName { get; private set; }

    public long? FileSize { get; private set; }

    public bool IsAnswered => AnsweredAt is not null;

    public static ManualTask Create(Guid requestId, string system, FulfilmentKind kind, string tokenHash, string protectedToken, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = requestId,
        System = system,
        Kind = kind,
        TokenHash = tokenHash,
        ProtectedToken = protectedToken,
        CreatedAt = now,
    };

    public void Remind(DateTimeOffset now)
    {
        Reminders++;
        RemindedAt = now;
    }

    /// <summary>The owner's answer, once: kept data needs its reason; a done export needs its file.</summary>
    public void Record(ManualTaskAnswer answer, string? note, string? fileName, long? fileSize, DateTimeOffset now)
    {
        Require(!IsAnswered, "This task has already been answered.");
        Require(Enum.IsDefined(answer), "Choose what was done.");
        Require(answer != ManualTaskAnswer.Kept || !PortalText.IsBlank(note), "Say why the data is kept: the person is told.");
        Require(!(answer == ManualTaskAnswer.Done && Kind == FulfilmentKind.Export) || fileName is not null, "Upload the export file from the system.");
        Require((note?.Trim().Length ?? 0) <= NoteMaxLength, "Keep the note to 2000 characters.");
        Require(PortalText.IsClean([note]), PortalText.ControlCharacters);
        Answer = answer;
        Note = PortalText.IsBlank(note) ? null : note!.Trim();
        FileName = answer == ManualTaskAnswer.Done ? fileName : null;
        FileSize = answer == ManualTaskAnswer.Done ? fileSize : null;
        AnsweredAt = now;
    }
}

internal sealed class ManualTaskConfiguration : IEntityTypeConfiguration<ManualTask>
{
    public void Configure(EntityTypeBuilder<ManualTask> builder)
    {
        builder.HasOne<DataSubjectRequest>().WithMany().HasForeignKey(t => t.RequestId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.RequestId, t.System, t.Kind }).IsUnique();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.AnsweredAt);
        builder.Property(t => t.System).HasMaxLength(64);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.ProtectedToken).HasMaxLength(512);
        builder.Property(t => t.Answer).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Note).HasMaxLength(ManualTask.NoteMaxLength);
        builder.Property(t => t.FileName).HasMaxLength(ManualTask.FileNameMaxLength);
    }
}
