using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace DsrPortal.Features.DataSources.Sql;

/// <summary>The <c>DataSources</c> section: the secret behind pseudonyms, and the other databases that hold personal data.</summary>
public sealed partial class DataSourcesOptions : IValidatableObject
{
    public const string SectionName = "DataSources";

    /// <summary>
    /// The key of the keyed hash that replaces pseudonymised values. A secret: set it through the
    /// environment or user secrets. Empty means one is generated and kept in the portal database.
    /// </summary>
    public string? PseudonymKey { get; set; }

    public List<SqlSourceOptions> Sql { get; set; } = [];

    /// <summary>Services reached over HTTP with signed calls (the README's connector protocol).</summary>
    public List<Http.HttpSourceOptions> Http { get; set; } = [];

    /// <summary>Systems with neither: their owners answer a task per request on a signed link.</summary>
    public List<ManualTasks.ManualSystemOptions> Manual { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { PortalDataSource.SourceName };
        var categories = new HashSet<string>(PortalDataSource.CategoryCodes, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Sql.Count; i++)
        {
            var source = Sql[i];
            foreach (var error in source.IdentifierErrors($"{SectionName}:Sql:{i}"))
            {
                yield return new ValidationResult(error);
            }

            if (string.IsNullOrWhiteSpace(source.Name) || !names.Add(source.Name))
            {
                yield return new ValidationResult($"DataSources:Sql: every source needs a unique Name ('{source.Name}').");
            }

            if (!Enum.IsDefined(source.Provider))
            {
                yield return new ValidationResult($"{SectionName}:Sql:{i}:Provider is '{source.Provider}'; use Sqlite or Postgres.");
            }

            if (string.IsNullOrWhiteSpace(source.ConnectionString))
            {
                yield return new ValidationResult($"DataSources:Sql '{source.Name}': ConnectionString is required.");
            }

            foreach (var table in source.Tables)
            {
                var where = $"DataSources:Sql '{source.Name}' table '{table.Table}'";
                if (string.IsNullOrWhiteSpace(table.Category) || !categories.Add(table.Category))
                {
                    yield return new ValidationResult($"{where}: every table needs its own Category ('{table.Category}' is missing or already used).");
                }

                if (table.Matches == SubjectIdentifier.ExternalUserId && source.ExternalUserId is null)
                {
                    yield return new ValidationResult($"{where}: matches ExternalUserId, but the source has no ExternalUserId lookup.");
                }

                if (table.ItemColumn is not null && table.Erasure != TableErasure.DeleteRow)
                {
                    yield return new ValidationResult($"{where}: records can be picked to delete (ItemColumn) only from a table whose Erasure is DeleteRow.");
                }

                if (table.Erasure == TableErasure.Retain && table.LegalBasis is not { Count: > 0 })
                {
                    yield return new ValidationResult($"{where}: a retained table needs its LegalBasis.");
                }

                foreach (var (name, column) in table.Columns)
                {
                    if (column.Erasure == ColumnErasure.Retain && column.LegalBasis is not { Count: > 0 })
                    {
                        yield return new ValidationResult($"{where} column '{name}': a retained column needs its LegalBasis.");
                    }
                }
            }
        }

        // The other kinds of source check themselves, against the same names and categories.
        var others = Http.SelectMany((service, i) => service.Errors($"{SectionName}:Http:{i}", names, categories))
            .Concat(Manual.SelectMany((system, i) => system.Errors($"{SectionName}:Manual:{i}", names, categories)));
        foreach (var error in others)
        {
            yield return new ValidationResult(error);
        }
    }

    /// <summary>A source's name is unique among all sources and short enough to be stored with its operations.</summary>
    internal static string? NameError(string where, string name, HashSet<string> names) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 64 || !names.Add(name)
            ? $"{where}: every source needs a unique Name of at most 64 characters ('{name}')."
            : null;

    /// <summary>Each category belongs to one source only; a retained one says why.</summary>
    internal static IEnumerable<string> CategoryErrors(string where, IEnumerable<DsrPortal.Features.DataSources.Http.HttpCategoryOptions> held, HashSet<string> categories)
    {
        foreach (var category in held)
        {
            if (string.IsNullOrWhiteSpace(category.Category) || !categories.Add(category.Category))
            {
                yield return $"{where}: every category needs its own code ('{category.Category}' is missing or already used).";
            }

            if (category.Erasure == DsrPortal.Features.DataSources.Http.HttpErasure.Retain && category.LegalBasis is not { Count: > 0 })
            {
                yield return $"{where} category '{category.Category}': a retained category needs its LegalBasis.";
            }
        }
    }

    internal static bool IsIdentifier(string? name) => name is not null && IdentifierPattern().IsMatch(name);

    /// <summary>Why a name cannot be written into SQL, naming the setting that holds it; null when it can.</summary>
    internal static string? IdentifierError(string setting, string? name) => IsIdentifier(name)
        ? null
        : $"{setting} is '{name}', which is not a plain SQL identifier (a letter or underscore, then letters, digits or underscores; at most 63).";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}

public enum SqlProvider
{
    Sqlite = 1,
    Postgres = 2,
}

/// <summary>Which of the portal's identifiers of a subject a table's subject column holds.</summary>
public enum SubjectIdentifier
{
    Phone = 1,
    Email = 2,
    PortalUserId = 3,
    /// <summary>The source's own user id, looked up through <see cref="SqlSourceOptions.ExternalUserId"/>.</summary>
    ExternalUserId = 4,
}

/// <summary>What erasing a subject does to a table.</summary>
public enum TableErasure
{
    /// <summary>The subject's rows are deleted.</summary>
    DeleteRow = 1,
    /// <summary>The rows stay; each listed column is set to null, pseudonymised or retained.</summary>
    Columns = 2,
    /// <summary>The rows stay under a legal basis.</summary>
    Retain = 3,
}

public enum ColumnErasure
{
    Keep = 0,
    SetNull = 1,
    /// <summary>Replaced by a keyed hash of the subject: still linkable for retained records, no longer identifying.</summary>
    Pseudonymise = 2,
    Retain = 3,
}

public sealed class SqlSourceOptions
{
    [Required]
    public string Name { get; set; } = "";

    public SqlProvider Provider { get; set; } = SqlProvider.Sqlite;

    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Where the files named by media columns live (photos); relative to the content root.</summary>
    public string? MediaDirectory { get; set; }

    public ExternalUserIdLookup? ExternalUserId { get; set; }

    public List<SqlTableOptions> Tables { get; set; } = [];

    /// <summary>
    /// Every table or column name of this source that is not a plain SQL identifier, each naming its
    /// setting (<c>DataSources:Sql:0:Tables:1:Table</c>): these names are written into SQL text.
    /// </summary>
    /// <param name="setting">Where this source sits in configuration, <c>DataSources:Sql:0</c>.</param>
    internal IEnumerable<string> IdentifierErrors(string setting)
    {
        var names = new List<(string Setting, string? Name)>();
        if (ExternalUserId is { } lookup)
        {
            names.Add(($"{setting}:ExternalUserId:Table", lookup.Table));
            names.Add(($"{setting}:ExternalUserId:IdColumn", lookup.IdColumn));
            names.Add(($"{setting}:ExternalUserId:MatchColumn", lookup.MatchColumn));
        }

        for (var i = 0; i < Tables.Count; i++)
        {
            var table = Tables[i];
            var at = $"{setting}:Tables:{i}";
            names.Add(($"{at}:Table", table.Table));
            names.Add(($"{at}:SubjectColumn", table.SubjectColumn));
            if (table.OrderBy is not null)
            {
                names.Add(($"{at}:OrderBy", table.OrderBy));
            }

            if (table.MediaColumn is not null)
            {
                names.Add(($"{at}:MediaColumn", table.MediaColumn));
            }

            foreach (var (name, column) in new[] { ("ItemColumn", table.ItemColumn), ("ItemTextColumn", table.ItemTextColumn), ("ItemDateColumn", table.ItemDateColumn) })
            {
                if (column is not null)
                {
                    names.Add(($"{at}:{name}", column));
                }
            }

            names.AddRange(table.Columns.Keys.Select(column => ($"{at}:Columns:{column}", (string?)column)));
        }

        return names.Select(n => DataSourcesOptions.IdentifierError(n.Setting, n.Name)).OfType<string>();
    }

    /// <summary>A new, unopened connection; a relative SQLite file lives under the content root.</summary>
    public System.Data.Common.DbConnection CreateConnection(string contentRoot) => Provider == SqlProvider.Postgres
        ? new Npgsql.NpgsqlConnection(ConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection(Data.DatabaseExtensions.ResolveSqlitePath(ConnectionString, contentRoot));
}

/// <summary>Finds the source's own id for a subject: <c>SELECT IdColumn FROM Table WHERE MatchColumn = @identifier</c>.</summary>
public sealed class ExternalUserIdLookup
{
    public string Table { get; set; } = "";

    public string IdColumn { get; set; } = "id";

    public string MatchColumn { get; set; } = "";

    public SubjectIdentifier Matches { get; set; } = SubjectIdentifier.Phone;
}

public sealed class SqlTableOptions
{
    public string Table { get; set; } = "";

    /// <summary>The data-inventory category code the table's rows belong to.</summary>
    public string Category { get; set; } = "";

    public string SubjectColumn { get; set; } = "";

    public SubjectIdentifier Matches { get; set; } = SubjectIdentifier.ExternalUserId;

    public string? OrderBy { get; set; }

    /// <summary>A column naming a file under the source's media directory; exports include the file.</summary>
    public string? MediaColumn { get; set; }

    public TableErasure Erasure { get; set; } = TableErasure.DeleteRow;

    /// <summary>
    /// The column that names one record (its id): set, the subject can pick records of this table one by one to
    /// delete (policy clause 1.3, "apply to delete at any time"). Only for a table whose erasure deletes rows.
    /// </summary>
    public string? ItemColumn { get; set; }

    /// <summary>The column shown for a record in the subject's list (a post's words, a caption).</summary>
    public string? ItemTextColumn { get; set; }

    /// <summary>The column shown as the record's date in the list.</summary>
    public string? ItemDateColumn { get; set; }

    public LocalizedText? LegalBasis { get; set; }

    public Dictionary<string, SqlColumnOptions> Columns { get; set; } = [];

    // How the category is described to subjects (My data, the API, the export's cover page). Each one
    // given here replaces the data-inventory file's text for the category; a category the file lacks
    // is described by these alone.

    public LocalizedText? Name { get; set; }

    public string? Clause { get; set; }

    public LocalizedText? Purposes { get; set; }

    public LocalizedText? Recipients { get; set; }

    public LocalizedText? Retention { get; set; }

    public LocalizedText? Source { get; set; }
}

public sealed class SqlColumnOptions
{
    public ColumnErasure Erasure { get; set; }

    public LocalizedText? LegalBasis { get; set; }

    /// <summary>A correction request may change this column.</summary>
    public bool Correctable { get; set; }
}
