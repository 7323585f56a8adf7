namespace DsrPortal.Features.Requests;

public enum ChaseStep
{
    Wait = 1,
    Remind = 2,
    Close = 3,
}

/// <summary>
/// When a request waiting on its requester (to confirm who they are, or to answer a question) is reminded and when
/// it closes: a reminder on each of the reminder days, then closing once the period is over.
/// </summary>
public sealed record ChaseSchedule(IReadOnlyList<int> ReminderDays, int CloseAfterDays)
{
    /// <summary>Waiting since before this, a request may need a step now; the rest need nothing yet.</summary>
    public DateTimeOffset DueBefore(DateTimeOffset now) => now.AddDays(-ReminderDays.DefaultIfEmpty(CloseAfterDays).Min());

    public ChaseStep Next(TimeSpan waited, int remindersSent) =>
        waited >= TimeSpan.FromDays(CloseAfterDays) ? ChaseStep.Close
        : remindersSent < ReminderDays.Count(d => waited >= TimeSpan.FromDays(d)) ? ChaseStep.Remind
        : ChaseStep.Wait;
}
