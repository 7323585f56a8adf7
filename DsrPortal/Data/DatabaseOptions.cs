using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Applies pending migrations when the web app starts; on in Development only.</summary>
    public bool MigrateOnStartup { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
