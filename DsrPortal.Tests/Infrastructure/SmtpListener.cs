using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>A real SMTP server on a loopback port of its own that keeps every message it receives.</summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer server;
    private readonly CancellationTokenSource stop = new();
    private readonly Store store = new();
    private Task? running;

    private SmtpListener()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(store);
        server = new SmtpServer.SmtpServer(options, services);
        Started = started.Task;
    }

    private Task<int> Started { get; }

    public int Port { get; private set; }

    public IReadOnlyCollection<MimeMessage> Messages => store.Messages;

    public static async Task<SmtpListener> StartAsync()
    {
        var listener = new SmtpListener();
        listener.running = listener.server.StartAsync(listener.stop.Token);
        listener.Port = await listener.Started.WaitAsync(TimeSpan.FromSeconds(10));
        return listener;
    }

    /// <summary>Waits for the first message to <paramref name="recipient"/> that matches, as a mail client polling its inbox would.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string recipient, Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var found = await WaitForMessagesAsync(
            m => m.To.Mailboxes.Any(b => string.Equals(b.Address, recipient, StringComparison.OrdinalIgnoreCase)) && (match?.Invoke(m) ?? true),
            count: 1, $"to {recipient}", timeout);
        return found[0];
    }

    /// <summary>Waits, woken by each arrival, until at least <paramref name="count"/> messages match; the timeout says what was missing.</summary>
    /// <param name="what">What the messages are, for the timeout's message: "to a@b", "about DSR-2026-000001".</param>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(Func<MimeMessage, bool> match, int count, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        using var expiry = new CancellationTokenSource(limit);
        while (true)
        {
            // Taken before looking, so a message arriving in between still wakes the wait.
            var next = store.Arrived;
            var found = store.Messages.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            try
            {
                await next.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {count} email(s) {what} at the SMTP listener; {found.Count} arrived.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        server.Shutdown();
        if (running is not null)
        {
            await running.ContinueWith(_ => { });
        }

        stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        private readonly ConcurrentQueue<MimeMessage> messages = new();
        private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<MimeMessage> Messages => messages.ToArray();

        public Task Arrived => signal.Task;

        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            Interlocked.Exchange(ref signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return SmtpResponse.Ok;
        }
    }
}
