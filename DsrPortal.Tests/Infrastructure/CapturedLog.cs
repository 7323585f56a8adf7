using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps what the portal logs from <paramref name="minimum"/> up, for a test to read:
/// "nothing at error level", or "the first start said what it was doing". Add it with configureServices.
/// </summary>
public sealed class CapturedLog(LogLevel minimum, string categoryPrefix = "") : ILoggerProvider
{
    /// <summary>Each entry as "category: message ExceptionType" (the exception's type only when there is one).</summary>
    public ConcurrentQueue<string> Entries { get; } = new();

    /// <summary>The messages alone, for asserting what was said.</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    private bool Keeps(LogLevel level, string category) => level >= minimum && category.StartsWith(categoryPrefix, StringComparison.Ordinal);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => log.Keeps(logLevel, category);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var message = formatter(state, exception);
                log.Messages.Enqueue(message);
                log.Entries.Enqueue($"{category}: {message} {exception?.GetType().Name}");
            }
        }
    }
}
