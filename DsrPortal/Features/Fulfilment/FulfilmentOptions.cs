using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Fulfilment;

public sealed class FulfilmentOptions
{
    public const string SectionName = "Fulfilment";

    /// <summary>How long an export stays downloadable; then the file is deleted.</summary>
    [Range(1, 90)]
    public int ExportLinkDays { get; set; } = 7;

    /// <summary>How long a whole-account deletion waits after approval, during which the subject can withdraw.</summary>
    [Range(0, 90)]
    public int CoolingOffDays { get; set; } = 15;

    /// <summary>Where export packages wait for download; relative to the content root.</summary>
    [Required]
    public string ExportDirectory { get; set; } = "App_Data/exports";

    /// <summary>Where finished packages are kept: the directory (shared by every instance), or the database.</summary>
    public Export.ExportStorage ExportStorage { get; set; } = Export.ExportStorage.Directory;

    /// <summary>With packages in the database: the size of each stored row (one is in memory at a time, writing or reading).</summary>
    [Range(16, 16384)]
    public int ExportChunkKilobytes { get; set; } = 1024;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one instance holds a job before another may take it over (renewed in the background every third of it, and at every checkpoint).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "06:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Off only in tests that drive the runner themselves.</summary>
    public bool WorkerEnabled { get; set; } = true;
}
