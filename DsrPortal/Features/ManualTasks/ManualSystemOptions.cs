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
}
