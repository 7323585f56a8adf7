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
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            var found = store.Messages.FirstOrDefault(m =>
                m.To.Mailboxes.Any(b => string.Equals(b.Address, recipient, StringComparison.OrdinalIgnoreCase)) && (match?.Invoke(m) ?? true));
            if (found is not null)
            {
                return found;
            }

            await store.Arrived.WaitAsync(TimeSpan.FromMilliseconds(200)).ContinueWith(_ => { });
        }

        throw new TimeoutException($"No email to {recipient} arrived at the SMTP listener.");
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
