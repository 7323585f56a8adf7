namespace DsrPortal.Features.ManualTasks;

/// <summary>
/// A system the portal can reach neither by SQL nor over HTTP (<c>DataSources:Manual</c>): its owner is sent a task for
/// every approved export or deletion that concerns it, answers it on a signed link, and the request waits for the answer.
/// </summary>
public sealed class ManualSystemOptions
{
    public string Name { get; set; } = "";

    /// <summary>Who answers the tasks: a named person's or a team's address.</summary>
    public string OwnerEmail { get; set; } = "";

    /// <summary>The language of the owner's emails and page: en or zh-CN.</summary>
    public string Culture { get; set; } = "en";

    /// <summary>The categories the system holds (described like an HTTP source's); a deletion of other categories does not concern it.</summary>
    public List<DataSources.Http.HttpCategoryOptions> Categories { get; set; } = [];

    /// <summary>What is wrong with this system's settings, each naming its setting (<paramref name="where"/>: <c>DataSources:Manual:0</c>).</summary>
    internal IEnumerable<string> Errors(string where, HashSet<string> names, HashSet<string> categories)
    {
        if (DataSources.Sql.DataSourcesOptions.NameError(where, Name, names) is { } name)
        {
            yield return name;
        }

        if (string.IsNullOrWhiteSpace(OwnerEmail) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(OwnerEmail))
        {
            yield return $"{where}:OwnerEmail must be the address of the person or team who answers its tasks.";
        }

        if (!Localization.PortalCultures.Supported.Contains(Culture))
        {
            yield return $"{where}:Culture is '{Culture}'; use en or zh-CN.";
        }

        foreach (var error in DataSources.Sql.DataSourcesOptions.CategoryErrors(where, Categories, categories))
        {
            yield return error;
        }
    }
}
