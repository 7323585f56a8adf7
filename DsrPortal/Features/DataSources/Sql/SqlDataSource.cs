using System.Data.Common;
using System.Globalization;
using DsrPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DsrPortal.Features.DataSources.Sql;

/// <summary>
/// Another SQLite or PostgreSQL database, mapped table by table in configuration: which column names
/// the subject, which category the rows are, and what erasure does to each column. Every statement is
/// set-based and keyed on the subject, so a subject's thousands of rows cost one statement, not thousands.
/// </summary>
/// <param name="setting">Where the source sits in configuration (<c>DataSources:Sql:0</c>), for errors.</param>
internal sealed class SqlDataSource(SqlSourceOptions options, string setting, string contentRoot, Pseudonymizer pseudonyms) : IPersonalDataSource
{
    // Table and column names are written into SQL text: the connector refuses a bad one itself, not only
    // the settings check, so no other way of building it can get one past.
    private readonly SqlSourceOptions options = options.IdentifierErrors(setting).ToList() is { Count: > 0 } errors
        ? throw new OptionsValidationException(DataSourcesOptions.SectionName, typeof(DataSourcesOptions), errors)
        : options;

    public string Name => options.Name;

    public IReadOnlyList<string> Categories => [.. options.Tables.Select(t => t.Category)];

    public IReadOnlyList<CorrectableField> CorrectableFields =>
    [
        .. from table in options.Tables
           from column in table.Columns
           where column.Value.Correctable
           select new CorrectableField($"{table.Category}.{column.Key}", Name, table.Category, column.Key),
    ];

    public async Task<IReadOnlyDictionary<string, long>> CountAsync(SubjectKeys subject, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        foreach (var table in options.Tables)
        {
            var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
            counts[table.Category] = key is null ? 0 : await CountRowsAsync(connection, table, key, cancellationToken);
        }

        return counts;
    }

    public async Task ReadAsync(SubjectKeys subject, string category, IRecordSink sink, CancellationToken cancellationToken)
    {
        var table = TableFor(category);
        await using var connection = await OpenAsync(cancellationToken);
        var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
        // No such subject here: no rows, but the header still tells the reader what would be held.
        var sql = key is null
            ? $"SELECT * FROM {Quote(table.Table)} WHERE 1 = 0"
            : $"SELECT * FROM {Quote(table.Table)} WHERE {Quote(table.SubjectColumn)} = @key ORDER BY {Quote(table.OrderBy ?? table.SubjectColumn)}";
        var bound = Bind(key ?? "", table.Matches);
        if (connection is SqliteConnection sqlite)
        {
            await SqliteRows.ReadAsync(sqlite, sql, "@key", bound, table.MediaColumn, MediaPath, sink, cancellationToken);
            return;
        }

        await using var command = Command(connection, sql, ("key", bound));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var media = table.MediaColumn is null ? -1 : columns.FindIndex(c => string.Equals(c, table.MediaColumn, StringComparison.OrdinalIgnoreCase));
        await sink.BeginAsync(columns);
        // One array for every row: a sink writes a row before it asks for the next and keeps none of it.
        var values = new object?[columns.Count];
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            await sink.WriteAsync(values, media >= 0 ? MediaPath(values[media]) : null);
        }
    }

    public async Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys subject, IReadOnlySet<string>? categories, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var steps = new List<ErasureStep>();
        foreach (var table in options.Tables.Where(t => categories is null || categories.Contains(t.Category)))
        {
            var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
            var rows = key is null ? 0 : await CountRowsAsync(connection, table, key, cancellationToken);
            if (rows == 0)
            {
                continue;
            }

            ErasureStep Step(ErasureAction action, IEnumerable<string> columns, LocalizedText? basis = null) =>
                new(Name, table.Category, table.Table, action, [.. columns], key!, rows, basis);

            switch (table.Erasure)
            {
                case TableErasure.DeleteRow:
                    steps.Add(Step(ErasureAction.DeleteRows, []));
                    break;
                case TableErasure.Retain:
                    steps.Add(Step(ErasureAction.Retain, [], table.LegalBasis));
                    break;
                default:
                    var byStrategy = table.Columns.ToLookup(c => c.Value.Erasure, c => c.Key);
                    foreach (var retained in table.Columns.Where(c => c.Value.Erasure == ColumnErasure.Retain))
                    {
                        steps.Add(Step(ErasureAction.Retain, [retained.Key], retained.Value.LegalBasis));
                    }

                    if (byStrategy[ColumnErasure.SetNull].Any())
                    {
                        steps.Add(Step(ErasureAction.SetNull, byStrategy[ColumnErasure.SetNull]));
                    }

                    // Last: pseudonymising the subject column itself would hide the rows from any later step.
                    if (byStrategy[ColumnErasure.Pseudonymise].Any())
                    {
                        steps.Add(Step(ErasureAction.Pseudonymise, byStrategy[ColumnErasure.Pseudonymise]));
                    }

                    break;
            }
        }

        return steps;
    }

    public async Task<long> EraseAsync(ErasureStep step, CancellationToken cancellationToken)
    {
        if (step.Action == ErasureAction.Retain)
        {
            return 0;
        }

        var table = options.Tables.Single(t => t.Table == step.Target && t.Category == step.Category);
        // Always keyed on the subject: chosen items narrow the statement, never widen it to anyone else's rows.
        var (where, parameters) = Where(table, step.Key, step.Items);
        await using var connection = await OpenAsync(cancellationToken);
        switch (step.Action)
        {
            case ErasureAction.DeleteRows:
                if (table.MediaColumn is not null)
                {
                    await DeleteMediaAsync(connection, table, where, parameters, cancellationToken);
                }

                await using (var delete = Command(connection, $"DELETE FROM {Quote(table.Table)} {where}", parameters))
                {
                    return await delete.ExecuteNonQueryAsync(cancellationToken);
                }

            case ErasureAction.SetNull:
                await using (var update = Command(connection,
                    $"UPDATE {Quote(table.Table)} SET {string.Join(", ", step.Columns.Select(c => $"{Quote(c)} = NULL"))} {where}", parameters))
                {
                    return await update.ExecuteNonQueryAsync(cancellationToken);
                }

            default:
                var pseudonym = await pseudonyms.ForAsync($"{Name}:{step.Key}", cancellationToken);
                await using (var update = Command(connection,
                    $"UPDATE {Quote(table.Table)} SET {string.Join(", ", step.Columns.Select(c => $"{Quote(c)} = @pseudonym"))} {where}",
                    [.. parameters, ("pseudonym", pseudonym)]))
                {
                    return await update.ExecuteNonQueryAsync(cancellationToken);
                }
        }
    }

    /// <summary>The subject's rows of a table, or only the chosen ones among them: the WHERE clause and its parameters.</summary>
    private static (string Where, (string Name, object Value)[] Parameters) Where(SqlTableOptions table, string key, IReadOnlyCollection<string>? items)
    {
        var where = $"WHERE {Quote(table.SubjectColumn)} = @key";
        (string, object)[] parameters = [("key", Bind(key, table.Matches))];
        if (items is null)
        {
            return (where, parameters);
        }

        var chosen = items.Distinct().Select((id, i) => ($"i{i}", BindItem(id))).ToList();
        // No chosen item matches nothing, rather than everything.
        var list = chosen.Count == 0 ? "NULL" : string.Join(", ", chosen.Select(c => "@" + c.Item1));
        return ($"{where} AND {Quote(table.ItemColumn ?? throw new InvalidOperationException($"Table {table.Table} has no ItemColumn."))} IN ({list})",
            [.. parameters, .. chosen]);
    }

    private static object BindItem(string id) =>
        long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : id;

    public IReadOnlyList<string> ItemCategories => [.. options.Tables.Where(t => t.ItemColumn is not null).Select(t => t.Category)];

    public async Task<IReadOnlyList<PersonalItem>> ListItemsAsync(SubjectKeys subject, string category, string? after, int take, CancellationToken cancellationToken)
    {
        var table = ItemTableFor(category);
        await using var connection = await OpenAsync(cancellationToken);
        var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
        if (key is null)
        {
            return [];
        }

        var (where, parameters) = Where(table, key, null);
        if (after is not null)
        {
            where += $" AND {Quote(table.ItemColumn!)} < @after";
            parameters = [.. parameters, ("after", BindItem(after))];
        }

        return await ItemsAsync(connection, table, $"{where} ORDER BY {Quote(table.ItemColumn!)} DESC LIMIT {Math.Clamp(take, 1, 200)}", parameters, cancellationToken);
    }

    public async Task<IReadOnlyList<PersonalItem>> FindItemsAsync(SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await ChosenAsync(subject, category, ids, cancellationToken)).Items;

    public async Task<IReadOnlyList<ErasureStep>> PlanItemErasureAsync(SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var (table, key, found) = await ChosenAsync(subject, category, ids, cancellationToken);
        // Items already gone (deleted in the app meanwhile) are simply not planned: there is nothing left to delete.
        return found.Count == 0
            ? []
            : [new ErasureStep(Name, table.Category, table.Table, ErasureAction.DeleteRows, [], key!, found.Count, null, [.. found.Select(i => i.Id)])];
    }

    /// <summary>Which of the ids are the subject's own items of the category now, with the table and the subject's key there.</summary>
    private async Task<(SqlTableOptions Table, string? Key, IReadOnlyList<PersonalItem> Items)> ChosenAsync(
        SubjectKeys subject, string category, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var table = ItemTableFor(category);
        await using var connection = await OpenAsync(cancellationToken);
        var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
        if (key is null || ids.Count == 0)
        {
            return (table, key, []);
        }

        var (where, parameters) = Where(table, key, ids);
        return (table, key, await ItemsAsync(connection, table, where, parameters, cancellationToken));
    }

    private async Task<IReadOnlyList<PersonalItem>> ItemsAsync(
        DbConnection connection, SqlTableOptions table, string whereAndOrder, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        string Column(string? name) => name is null ? "NULL" : Quote(name);
        await using var command = Command(connection,
            $"SELECT {Quote(table.ItemColumn!)}, {Column(table.ItemTextColumn)}, {Column(table.ItemDateColumn)}, {Column(table.MediaColumn)} FROM {Quote(table.Table)} {whereAndOrder}",
            parameters);
        var items = new List<PersonalItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            items.Add(new PersonalItem(Text(0)!, Text(1), Text(2), reader.IsDBNull(3) ? null : MediaPath(reader.GetValue(3))));
        }

        return items;
    }

    private SqlTableOptions ItemTableFor(string category) =>
        options.Tables.SingleOrDefault(t => t.Category == category && t.ItemColumn is not null)
        ?? throw new ArgumentException($"Source {Name} has no items to pick in category {category}.", nameof(category));

    public async Task<string?> ReadFieldAsync(SubjectKeys subject, string field, CancellationToken cancellationToken)
    {
        var (table, column) = FieldFor(field);
        await using var connection = await OpenAsync(cancellationToken);
        var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
        if (key is null)
        {
            return null;
        }

        await using var command = Command(connection,
            $"SELECT {Quote(column)} FROM {Quote(table.Table)} WHERE {Quote(table.SubjectColumn)} = @key", ("key", Bind(key, table.Matches)));
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<bool> CorrectAsync(SubjectKeys subject, string field, string value, CancellationToken cancellationToken)
    {
        var (table, column) = FieldFor(field);
        await using var connection = await OpenAsync(cancellationToken);
        var key = await KeyAsync(connection, subject, table.Matches, cancellationToken);
        if (key is null)
        {
            return false;
        }

        await using var command = Command(connection,
            $"UPDATE {Quote(table.Table)} SET {Quote(column)} = @value WHERE {Quote(table.SubjectColumn)} = @key",
            ("value", value), ("key", Bind(key, table.Matches)));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = options.CreateConnection(contentRoot);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<IReadOnlyList<SubjectKeys>> PeopleAfterAsync(string? after, int take, CancellationToken cancellationToken)
    {
        // Where the source keeps one row per person: its user-id lookup, else the first table keyed on a phone or email.
        var (table, column, matches) = options.ExternalUserId is { } lookup
            ? (lookup.Table, lookup.MatchColumn, lookup.Matches)
            : options.Tables.Where(t => t.Matches is SubjectIdentifier.Phone or SubjectIdentifier.Email)
                .Select(t => (t.Table, t.SubjectColumn, t.Matches)).FirstOrDefault();
        if (table is null || matches is not (SubjectIdentifier.Phone or SubjectIdentifier.Email))
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT DISTINCT {Quote(column)} FROM {Quote(table)} WHERE {Quote(column)} IS NOT NULL AND {Quote(column)} > @after ORDER BY {Quote(column)} LIMIT {take}",
            ("after", after ?? ""));
        var people = new List<SubjectKeys>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!;
            people.Add(matches == SubjectIdentifier.Phone ? new SubjectKeys("", null, value) : new SubjectKeys("", value, null));
        }

        return people;
    }

    private async Task<string?> KeyAsync(DbConnection connection, SubjectKeys subject, SubjectIdentifier matches, CancellationToken cancellationToken)
    {
        if (matches != SubjectIdentifier.ExternalUserId)
        {
            return Identifier(subject, matches);
        }

        var lookup = options.ExternalUserId!;
        var identifier = Identifier(subject, lookup.Matches);
        if (identifier is null)
        {
            return null;
        }

        await using var command = Command(connection,
            $"SELECT {Quote(lookup.IdColumn)} FROM {Quote(lookup.Table)} WHERE {Quote(lookup.MatchColumn)} = @identifier",
            ("identifier", identifier));
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) is { Length: > 0 } id ? id : null;
    }

    private static string? Identifier(SubjectKeys subject, SubjectIdentifier matches) => matches switch
    {
        SubjectIdentifier.Phone => subject.Phone,
        SubjectIdentifier.Email => subject.Email,
        SubjectIdentifier.PortalUserId => subject.UserId,
        _ => null,
    };

    /// <summary>A source's own ids are usually integers; PostgreSQL will not compare a bigint column with text.</summary>
    private static object Bind(string key, SubjectIdentifier matches) =>
        matches == SubjectIdentifier.ExternalUserId && long.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : key;

    private static async Task<long> CountRowsAsync(DbConnection connection, SqlTableOptions table, string key, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            $"SELECT COUNT(*) FROM {Quote(table.Table)} WHERE {Quote(table.SubjectColumn)} = @key", ("key", Bind(key, table.Matches)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task DeleteMediaAsync(
        DbConnection connection, SqlTableOptions table, string where, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {Quote(table.MediaColumn!)} FROM {Quote(table.Table)} {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0) && MediaPath(reader.GetValue(0)) is { } path)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Only a file name is taken from the row, so a stored value can never point outside the media folder.</summary>
    private string? MediaPath(object? value) =>
        options.MediaDirectory is null || Convert.ToString(value, CultureInfo.InvariantCulture) is not { Length: > 0 } name
            ? null
            : Path.Combine(Path.GetFullPath(options.MediaDirectory, contentRoot), Path.GetFileName(name));

    private SqlTableOptions TableFor(string category) =>
        options.Tables.SingleOrDefault(t => t.Category == category)
        ?? throw new ArgumentException($"Source {Name} holds no category {category}.", nameof(category));

    private (SqlTableOptions Table, string Column) FieldFor(string field)
    {
        var table = options.Tables.FirstOrDefault(t => field.StartsWith(t.Category + ".", StringComparison.Ordinal));
        var column = table is null ? null : field[(table.Category.Length + 1)..];
        return table is not null && column is not null && table.Columns.TryGetValue(column, out var c) && c.Correctable
            ? (table, column)
            : throw new ArgumentException($"{field} is not a correctable field of source {Name}.", nameof(field));
    }

    private static string Quote(string identifier) => $"\"{identifier}\"";

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
