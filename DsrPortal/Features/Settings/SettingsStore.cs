using DsrPortal.Data;
using DsrPortal.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DsrPortal.Features.Settings;

/// <summary>
/// Supervisors' changes to settings, kept in the database and laid over the configuration: options
/// that read them (through <see cref="IOptionsMonitor{TOptions}"/>) change without a restart, and
/// every change is audited with its old and new values (settings hold no personal data).
/// </summary>
internal sealed class SettingsStore(IDbContextFactory<ApplicationDbContext> contexts, PortalConnections connections, AuditWriter audit, TimeProvider clock)
{
    private IReadOnlyDictionary<string, string>? current;
    private CancellationTokenSource changed = new();

    public IReadOnlyDictionary<string, string> Current => current ??= Load() ?? new Dictionary<string, string>();

    public IChangeToken ChangeToken => new CancellationChangeToken(changed.Token);

    /// <summary>After this instance saved a change: other instances are told (ClusterSignals).</summary>
    public event Action? Saved;

    /// <summary>Another instance saved a change: read the settings again, and options bound to them follow.</summary>
    public void Reload()
    {
        current = null;
        var previous = Interlocked.Exchange(ref changed, new CancellationTokenSource());
        previous.Cancel();
    }

    public async Task SaveAsync(IReadOnlyDictionary<string, string> values, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.PortalSettings.ToDictionaryAsync(s => s.Key, cancellationToken);
        var details = new Dictionary<string, string?>();
        foreach (var (key, value) in values)
        {
            if (existing.TryGetValue(key, out var row))
            {
                if (row.Value == value)
                {
                    continue;
                }

                details[key] = Describe(row.Value, value);
                row.Value = value;
                row.UpdatedAt = clock.GetUtcNow();
                row.UpdatedBy = supervisor.Id;
            }
            else
            {
                details[key] = Describe("(configuration)", value);
                db.PortalSettings.Add(new PortalSetting { Key = key, Value = value, UpdatedAt = clock.GetUtcNow(), UpdatedBy = supervisor.Id });
            }
        }

        if (details.Count == 0)
        {
            return;
        }

        await audit.AppendAsync(db, supervisor, AuditActions.SettingsChanged, details: details, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Reload();
        Saved?.Invoke();
    }

    /// <summary>Old and new values; texts (an email template) by length and fingerprint, not in full.</summary>
    private static string Describe(string before, string after) =>
        after.Length <= 200 && before.Length <= 200 && !after.Contains('\n') && !before.Contains('\n')
            ? $"{before} -> {after}"
            : $"{Fingerprint(before)} -> {Fingerprint(after)}";

    private static string Fingerprint(string text) =>
        $"{text.Length} characters, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12]}";

    /// <summary>Back to the configuration's (or shipped file's) value; audited like a change.</summary>
    public async Task RemoveAsync(string key, AuditActor supervisor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.PortalSettings.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (row is null)
        {
            return;
        }

        db.PortalSettings.Remove(row);
        await audit.AppendAsync(db, supervisor, AuditActions.SettingsChanged,
            details: new Dictionary<string, string?> { [key] = Describe(row.Value, "(original)") }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Reload();
        Saved?.Invoke();
    }

    /// <summary>
    /// Null when the table cannot be read yet (a database not migrated): tried again next time. Read over plain ADO.NET:
    /// the options are bound at start-up, and through EF this first read cost the second EF takes to build its model,
    /// even for an operator's verb that never needs it.
    /// </summary>
    private Dictionary<string, string>? Load()
    {
        try
        {
            using var connection = connections.Open();
            using var command = connection.CreateCommand();
            // Asked without touching the table: a query on a missing one would be logged as an error by the server.
            command.CommandText = connections.IsSqlite
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'PortalSettings'"
                : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'PortalSettings'";
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }

            command.CommandText = """SELECT "Key", "Value" FROM "PortalSettings" """;
            using var reader = command.ExecuteReader();
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                settings[reader.GetString(0)] = reader.GetString(1);
            }

            return settings;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.Data.Common.DbException)
        {
            return null;
        }
    }
}

/// <summary>Lays the stored settings over a section's configuration, and tells the options monitor when they change.</summary>
internal sealed class StoredSettings<TOptions>(SettingsStore store, string section, Action<TOptions, string, string> apply)
    : IPostConfigureOptions<TOptions>, IOptionsChangeTokenSource<TOptions>
    where TOptions : class
{
    public string? Name => Options.DefaultName;

    public void PostConfigure(string? name, TOptions options)
    {
        foreach (var (key, value) in store.Current.Where(s => s.Key.StartsWith(section + ":", StringComparison.Ordinal)))
        {
            apply(options, key[(section.Length + 1)..], value);
        }
    }

    public IChangeToken GetChangeToken() => store.ChangeToken;
}
