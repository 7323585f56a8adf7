using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Intake;

/// <summary>Requests from people without an account.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>How long a signed link to follow a request works. Every email or text about the request carries a fresh one.</summary>
    [Range(1, 365)]
    public int LinkLifetimeDays { get; set; } = 30;
}
