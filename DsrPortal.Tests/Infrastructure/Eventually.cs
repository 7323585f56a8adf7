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

    /// <summary>Polls <paramref name="probe"/> until it gives a value, and returns it; fails the test when it never does.</summary>
    public static Task<T> ValueAsync<T>(Func<T?> probe, TimeSpan? timeout = null)
        where T : class => ValueAsync(() => Task.FromResult(probe()), timeout);

    /// <inheritdoc cref="ValueAsync{T}(Func{T}, TimeSpan?)"/>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null)
        where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (waited.Elapsed > limit)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting for a value.");
            }

            await Task.Delay(50);
        }
    }
}
