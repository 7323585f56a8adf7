using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Audit;

/// <summary>The audit trail's signing key and its checkpoints, both kept outside the database.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The signing key itself, base64 (32 bytes or more), for deployments that pass secrets by environment (Audit__SigningKey).</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Otherwise a file holding the key, created with a fresh random key at first start when missing.
    /// Keep it off the database server (a secret mount, other storage) and back it up: without it the
    /// trail cannot be verified. Relative paths are under the content root.
    /// </summary>
    public string SigningKeyPath { get; set; } = "App_Data/audit-signing.key";

    /// <summary>Where signed checkpoints are written: a folder on storage the database's writers cannot reach.</summary>
    public string CheckpointDirectory { get; set; } = "App_Data/audit-checkpoints";

    /// <summary>Optionally, a mailbox (the data protection officer's) that receives every checkpoint too.</summary>
    [EmailAddress]
    public string? CheckpointEmail { get; set; }

    /// <summary>How often a checkpoint is written when the trail has grown; zero turns the periodic checkpoint off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromDays(1);
}
