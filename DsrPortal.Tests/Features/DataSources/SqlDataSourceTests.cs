using DsrPortal.Features.DataSources.Sql;
using Microsoft.Extensions.Options;

namespace DsrPortal.Tests.Features.DataSources;

/// <summary>Table and column names go into SQL text, so a name that is not a plain identifier never gets that far.</summary>
public sealed class SqlDataSourceTests
{
    [Theory]
    [InlineData("users; drop table x")]
    [InlineData("\"a\"")]
    [InlineData("")]
    public void The_connector_refuses_a_table_name_that_is_not_a_plain_identifier_and_names_the_setting(string table)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Connector(Source(photos: table)));

        Assert.Contains($"DataSources:Sql:0:Tables:1:Table is '{table}', which is not a plain SQL identifier", refused.Message);
    }

    [Fact]
    public void The_connector_refuses_a_bad_column_or_lookup_name_too()
    {
        var source = Source(column: "nickname\" = 'x' --");
        source.ExternalUserId!.MatchColumn = "phone number";

        var refused = Assert.Throws<OptionsValidationException>(() => Connector(source));

        Assert.Contains("DataSources:Sql:0:Tables:0:Columns:nickname\" = 'x' -- is 'nickname\" = 'x' --'", refused.Message);
        Assert.Contains("DataSources:Sql:0:ExternalUserId:MatchColumn is 'phone number'", refused.Message);
    }

    [Fact]
    public void Plain_identifiers_are_accepted()
    {
        var connector = Connector(Source());

        Assert.Equal(["Profile", "Photos"], connector.Categories);
    }

    [Fact]
    public void The_settings_check_at_start_refuses_the_same_names_with_the_same_message()
    {
        var options = new DataSourcesOptions { Sql = [Source(), Source(name: "crm", photos: "users; drop table x")] };

        var result = new DataAnnotationValidateOptions<DataSourcesOptions>(Options.DefaultName).Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Contains("DataSources:Sql:1:Tables:1:Table is 'users; drop table x', which is not a plain SQL identifier", result.FailureMessage);
        Assert.DoesNotContain("DataSources:Sql:0:", result.FailureMessage);
    }

    private static SqlDataSource Connector(SqlSourceOptions source) =>
        new(source, "DataSources:Sql:0", Path.GetTempPath(), pseudonyms: null!);

    private static SqlSourceOptions Source(string name = "social-app", string photos = "photos", string column = "nickname") => new()
    {
        Name = name,
        ConnectionString = $"Data Source={name}.db",
        ExternalUserId = new ExternalUserIdLookup { Table = "users", IdColumn = "id", MatchColumn = "phone", Matches = SubjectIdentifier.Phone },
        Tables =
        [
            new SqlTableOptions
            {
                Table = "users", Category = name == "social-app" ? "Profile" : "CrmProfile", SubjectColumn = "phone", Matches = SubjectIdentifier.Phone,
                Columns = { [column] = new SqlColumnOptions { Correctable = true } },
            },
            new SqlTableOptions { Table = photos, Category = name == "social-app" ? "Photos" : "CrmPhotos", SubjectColumn = "user_id", MediaColumn = "file_name" },
        ],
    };
}
