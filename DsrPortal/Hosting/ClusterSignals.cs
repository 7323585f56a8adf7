using DsrPortal.Data;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Settings;
using Npgsql;

namespace DsrPortal.Hosting;

/// <summary>
/// Signals between portal instances sharing one database. On PostgreSQL a signal goes out with <c>pg_notify</c> and every
/// other instance hears it on a connection kept listening (LISTEN), so a request changed or a setting saved on one instance
/// reaches the open pages and the options of all the others within a second. On SQLite there is one instance: nothing
/// leaves the process. A signal carries an id or a word, never personal data; each instance ignores its own.
/// </summary>
internal sealed class ClusterSignals : BackgroundService
{
    private readonly PortalConnections connections;
    private readonly ILogger<ClusterSignals> logger;

    public ClusterSignals(PortalConnections connections, RequestChangeNotifier requests, SettingsStore settings, ILogger<ClusterSignals> logger)
    {
        this.connections = connections;
        this.logger = logger;
        if (!Relays)
        {
            return;
        }

        // Out: this instance's own changes (never one heard from another instance, which would echo forever).
        requests.Changed += change =>
        {
            if (!change.FromAnotherInstance)
            {
                Send(RequestChanged, change.RequestId.ToString("N"));
            }

            return Task.CompletedTask;
        };
        settings.Saved += () => Send(SettingsChanged, "saved");

        // In: another instance's change reaches this one's open pages, and its settings are read again.
        Received += (channel, payload) =>
        {
            if (channel == RequestChanged && Guid.TryParseExact(payload, "N", out var id))
            {
                requests.Publish(new RequestChange(id) { FromAnotherInstance = true });
            }
            else if (channel == SettingsChanged)
            {
                settings.Reload();
            }
        };
    }

    public const string RequestChanged = "dsr_request_changed";
    public const string SettingsChanged = "dsr_settings_changed";
    private static readonly string[] Channels = [RequestChanged, SettingsChanged];

    /// <summary>This instance's id, on every signal it sends, so it does not act twice on its own.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Whether signals leave this process at all (PostgreSQL) or not (SQLite, one instance).</summary>
    public bool Relays => !connections.IsSqlite;

    /// <summary>A signal from another instance: the channel and its payload.</summary>
    public event Action<string, string>? Received;

    /// <summary>Tells the other instances; fire and forget, since the change it announces is committed already.</summary>
    public void Send(string channel, string payload)
    {
        if (!Relays)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var connection = await connections.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT pg_notify(@channel, @payload)";
                command.Parameters.Add(new NpgsqlParameter("channel", channel));
                command.Parameters.Add(new NpgsqlParameter("payload", $"{InstanceId}:{payload}"));
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Could not tell the other instances on {Channel}", channel);
            }
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Relays)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await connections.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = string.Join(' ', Channels.Select(c => $"LISTEN {c};"));
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                logger.LogInformation("Listening for the other instances' changes as instance {Instance}", InstanceId);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database restarted or the connection dropped: listen again shortly; pages still update for this instance's own changes.
                logger.LogWarning(exception, "Stopped hearing the other instances; listening again in 2 seconds");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private void Dispatch(string channel, string payload)
    {
        var separator = payload.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || payload[..separator] == InstanceId)
        {
            return;
        }

        try
        {
            Received?.Invoke(channel, payload[(separator + 1)..]);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "A signal from another instance on {Channel} could not be handled", channel);
        }
    }
}
