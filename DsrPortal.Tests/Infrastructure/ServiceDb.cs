using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>Reads the demo service database directly, to check what the portal says about it and does to it.</summary>
public static class ServiceDb
{
    public const string SubjectPhone = "13800000001";
    public const string GuardianPhone = "13800000002";

    public static readonly string[] UserTables =
        ["devices", "dynamics", "photos", "comments", "likes", "search_records", "reading_records", "interaction_records", "sharing_records"];

    public static long UserId(this PortalFactory factory, string phone) =>
        Convert.ToInt64(factory.ServiceScalar("SELECT id FROM users WHERE phone = @v", phone), CultureInfo.InvariantCulture);

    /// <summary>Rows of a table that belong to the service user with that phone number.</summary>
    public static long CountFor(this PortalFactory factory, string table, string phone) => table == "users"
        ? Convert.ToInt64(factory.ServiceScalar("SELECT COUNT(*) FROM users WHERE phone = @v", phone), CultureInfo.InvariantCulture)
        : Convert.ToInt64(factory.ServiceScalar($"SELECT COUNT(*) FROM {table} WHERE user_id = @v", factory.UserId(phone)), CultureInfo.InvariantCulture);

    public static long CountForUserId(this PortalFactory factory, string table, long userId) =>
        Convert.ToInt64(factory.ServiceScalar($"SELECT COUNT(*) FROM {table} WHERE user_id = @v", userId), CultureInfo.InvariantCulture);

    public static object? ServiceScalar(this PortalFactory factory, string sql, object? value = null) =>
        factory.WithCommand(sql, value, command => command.ExecuteScalar());

    public static List<Dictionary<string, object?>> Rows(this PortalFactory factory, string sql, object? value = null) =>
        factory.WithCommand(sql, value, command =>
        {
            using var reader = command.ExecuteReader();
            var rows = new List<Dictionary<string, object?>>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            }

            return rows;
        });

    /// <summary>Runs a command on a connection of its own, unpooled, so the file is free when the test ends.</summary>
    private static T WithCommand<T>(this PortalFactory factory, string sql, object? value, Func<SqliteCommand, T> run)
    {
        using var connection = new SqliteConnection($"Data Source={factory.ServiceDatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (value is not null)
        {
            command.Parameters.AddWithValue("@v", value);
        }

        return run(command);
    }
}
