namespace DsrPortal.Features.Fulfilment;

/// <summary>
/// A step waits for someone outside the portal (a service's asynchronous job, a system owner's task): the job goes back
/// to the queue until <see cref="RetryAfter"/> from now, at its checkpoint, and no failed attempt is counted.
/// </summary>
public sealed class FulfilmentWaitException(TimeSpan retryAfter, string waitingFor)
    : Exception($"Waiting for {waitingFor}.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>A code for the log (a source's name), never data.</summary>
    public string WaitingFor { get; } = waitingFor;
}
