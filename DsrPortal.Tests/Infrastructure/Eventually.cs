namespace DsrPortal.Tests.Infrastructure;

/// <summary>Waits for something another thread or process brings about, instead of sleeping a guessed time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test naming <paramref name="what"/> when it never does.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > limit)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
