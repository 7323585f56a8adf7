using Microsoft.Extensions.Options;

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

/// <summary>The provider is known, and PostgreSQL has its connection string.</summary>
internal sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.Sqlite => ValidateOptionsResult.Success,
        DatabaseProvider.Postgres when string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")) =>
            ValidateOptionsResult.Fail("Database:Provider is Postgres but ConnectionStrings:Postgres is not set."),
        DatabaseProvider.Postgres => ValidateOptionsResult.Success,
        _ => ValidateOptionsResult.Fail($"Database:Provider is '{options.Provider}'; use Sqlite or Postgres."),
    };
}
