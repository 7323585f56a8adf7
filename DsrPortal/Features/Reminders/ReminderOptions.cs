using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Reminders;

/// <summary>How the portal chases requests waiting on their requester, and keeps staff ahead of deadlines (the <c>Reminders</c> section).</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Reminders";

    /// <summary>Days after the agent's question on which a requester who has not answered is reminded.</summary>
    public List<int> RequesterReminderDays { get; set; } = [7, 14];

    /// <summary>Days after the question after which the request closes as "no answer", with notice.</summary>
    [Range(1, 365)]
    public int CloseUnansweredAfterDays { get; set; } = 30;

    /// <summary>The hour of the day (deployment's clock) from which staff get their daily digest.</summary>
    [Range(0, 23)]
    public int DigestHour { get; set; } = 8;

    /// <summary>Every how many days the owner of an unanswered manual task is reminded.</summary>
    [Range(1, 30)]
    public int ManualTaskReminderDays { get; set; } = 2;

    /// <summary>The background chaser (tests run it themselves).</summary>
    public bool WorkerEnabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromMinutes(30);
}
