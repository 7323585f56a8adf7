using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Retention;

public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How long closed requests, their messages and the audit trail are kept (PIPL Art. 56: 3 years).</summary>
    [Range(1, 50)]
    public int Years { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(24);

    public bool WorkerEnabled { get; set; } = true;
}
