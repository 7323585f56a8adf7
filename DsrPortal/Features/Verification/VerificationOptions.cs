using System.ComponentModel.DataAnnotations;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Verification;

/// <summary>One-time code rules and how much proof each kind of request needs.</summary>
public sealed class VerificationOptions
{
    public const string SectionName = "Verification";

    [Range(1, 60)]
    public int CodeLifetimeMinutes { get; set; } = 10;

    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The shortest wait between two codes to the same number.</summary>
    [Range(1, 3600)]
    public int ResendSeconds { get; set; } = 60;

    /// <summary>At most this many codes to one number in any hour.</summary>
    [Range(1, 100)]
    public int MaxCodesPerHour { get; set; } = 5;

    /// <summary>
    /// Request types a signed-in session alone does not open: the requester confirms them with a fresh
    /// code to their proven number (or an authenticator code) first. Others open at once when the
    /// requester's identifiers are proven.
    /// </summary>
    public List<RequestType> StepUpTypes { get; set; } = [RequestType.Export, RequestType.Deletion];

    /// <summary>How recent a code must be to count as a step-up when a request is made (a code typed to open a session without an account).</summary>
    [Range(1, 60)]
    public int StepUpMinutes { get; set; } = 10;

    /// <summary>Days after receipt on which a requester who has not confirmed who they are is reminded.</summary>
    public List<int> ReminderDays { get; set; } = [3, 6];

    /// <summary>Days after receipt after which an unconfirmed request closes as "identity not verified".</summary>
    [Range(1, 60)]
    public int CloseUnverifiedAfterDays { get; set; } = 7;

    /// <summary>The background chaser of unconfirmed requests (tests run it themselves).</summary>
    public bool WorkerEnabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromMinutes(15);
}
