namespace DsrPortal.Features.Demo;

public sealed class DemoDataOptions
{
    public const string SectionName = "DemoData";

    /// <summary>Creates the demo accounts (with a published password). On in Development only; never in production.</summary>
    public bool Enabled { get; set; }

    /// <summary>With demo data, also a handful of requests in different states (one overdue), so the queue is not empty.</summary>
    public bool SampleRequests { get; set; } = true;

    /// <summary>The DataSources:Sql source that holds the demo social app's database, generated on first start when missing.</summary>
    public string ServiceDatabase { get; set; } = "social-app";

    /// <summary>How many random users the generated service database gets besides the demo subjects.</summary>
    public int ServiceUsers { get; set; } = 200;

    public const string Password = "Demo-Portal-2026!";
}
