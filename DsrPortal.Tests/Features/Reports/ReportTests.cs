using DsrPortal.Features.Reports;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Reports;

/// <summary>Every figure of the dashboard and the yearly report against a hand-computed fixture.</summary>
public sealed class ReportTests : IAsyncLifetime
{
    // Monday 1 March 2027, 10:00 in Shanghai.
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 31, 10, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;

    public ReportTests() => factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    private RequestWorkflow Workflow => factory.Services.GetRequiredService<RequestWorkflow>();

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        var subject = await factory.ActorAsync("subject@demo.local");
        var agent = await factory.ActorAsync("agent@demo.local");
        async Task<Guid> Submit(RequestType type) => (await Workflow.SubmitAsync(new NewRequest
        {
            Type = type, SubjectId = subject.UserId, RequesterId = subject.UserId,
            // Selected items: deleted by hand, so the agent completes it with the exceptions the fixture needs.
            DeletionScope = type == RequestType.Deletion ? DeletionScope.SelectedItems : null,
            CorrectionField = "Nickname", CorrectionProposedValue = "Lin",
            DisputeSubject = DisputeSubject.Advertising, Description = "Stop the ads.",
        }, subject, "session")).Request!.Id;
        async Task Complete(Guid id, string? exceptions = null)
        {
            await Workflow.ClaimAsync(id, agent);
            await Workflow.ApproveAsync(id, agent, null);
            // An export completes when its package is built; anything else the agent completes by hand.
            await factory.Services.GetRequiredService<DsrPortal.Features.Fulfilment.FulfilmentRunner>().RunDueAsync();
            await Workflow.CompleteAsync(id, exceptions, agent, null);
        }

        // G: 31 Dec 2026, 18:00 in Shanghai: belongs to 2026, and stays open.
        await Submit(RequestType.Export);
        // F: 1 Jan 2027, 04:00 in Shanghai (still 2026 in UTC): belongs to 2027; done in 4 days.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.Zero));
        var f = await Submit(RequestType.Export);
        clock.Advance(TimeSpan.FromDays(4));
        await Complete(f);

        clock.SetUtcNow(T0);
        var a = await Submit(RequestType.Export);
        var b = await Submit(RequestType.Export);
        var c = await Submit(RequestType.Deletion);
        var d = await Submit(RequestType.Correction);
        await Submit(RequestType.Dispute);

        clock.SetUtcNow(T0.AddDays(1));
        await Workflow.WithdrawAsync(d, subject);
        clock.SetUtcNow(T0.AddDays(2));
        await Workflow.ClaimAsync(b, agent);
        await Workflow.RefuseAsync(b, RefusalReason.IdentityNotVerified, "The phone number did not match.", agent, null);
        clock.SetUtcNow(T0.AddDays(5));
        await Complete(a);
        clock.SetUtcNow(T0.AddDays(30));
        await Complete(c, "Payment records kept for 3 years under tax law; stored only.");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_chosen_period_counts_only_the_requests_received_in_it()
    {
        var march = (await factory.Services.GetRequiredService<ReportService>().PeriodAsync(new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 31))).ToDictionary(r => r.Type);
        var january = (await factory.Services.GetRequiredService<ReportService>().PeriodAsync(new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 1))).ToDictionary(r => r.Type);

        // March: A (5 days) and B (refused after 2): F, received on New Year's morning, is not in it.
        var export = march[RequestType.Export];
        Assert.Equal((2, 1, 1, 3.5, 1.0), (export.Received, export.Completed, export.Refused, export.MedianDays, export.OnTimeRate));
        Assert.Equal((1, 0.0), (march[RequestType.Deletion].CompletedInPart, march[RequestType.Deletion].OnTimeRate));
        Assert.Equal((1, 1, 4.0), (january[RequestType.Export].Received, january[RequestType.Export].Completed, january[RequestType.Export].MedianDays));
        Assert.Equal(0, january[RequestType.Deletion].Received);
    }

    [Fact]
    public async Task The_yearly_report_counts_by_local_year_and_measures_days_to_respond()
    {
        var rows = (await factory.Services.GetRequiredService<ReportService>().YearlyAsync(2027)).ToDictionary(r => r.Type);

        var export = rows[RequestType.Export];
        Assert.Equal((3, 2, 0, 1, 0, 0), (export.Received, export.Completed, export.CompletedInPart, export.Refused, export.Withdrawn, export.StillOpen));
        Assert.Equal(1, export.RefusedByReason[RefusalReason.IdentityNotVerified]);
        Assert.Equal((4.0, 3.7, 1.0), (export.MedianDays, export.MeanDays, export.OnTimeRate)); // 2, 4 and 5 days, all on time

        var deletion = rows[RequestType.Deletion];
        Assert.Equal((1, 1, 30.0, 0.0), (deletion.Received, deletion.CompletedInPart, deletion.MedianDays, deletion.OnTimeRate)); // 30 days: late

        var correction = rows[RequestType.Correction];
        Assert.Equal((1, 1, (double?)null), (correction.Received, correction.Withdrawn, correction.MedianDays)); // a withdrawal is no answer

        Assert.Equal((1, 1), (rows[RequestType.Dispute].Received, rows[RequestType.Dispute].StillOpen));
        Assert.Equal(1, (await factory.Services.GetRequiredService<ReportService>().YearlyAsync(2026)).Single(r => r.Type == RequestType.Export).Received);
    }

    [Fact]
    public async Task The_dashboard_counts_open_overdue_and_soon_due_work()
    {
        var dashboard = await factory.Services.GetRequiredService<ReportService>().DashboardAsync(clock.GetUtcNow());

        Assert.Equal(1, dashboard.OpenByType[RequestType.Export]);   // G
        Assert.Equal(1, dashboard.OpenByType[RequestType.Dispute]);  // E
        Assert.Equal(2, dashboard.OpenByType.Values.Sum());
        Assert.Equal(2, dashboard.Overdue);                          // both are past their 15 working days
        Assert.Equal(0, dashboard.DueWithinThreeDays);
        Assert.Empty(dashboard.Workload);                            // nobody holds an open request

        // On 17 March E (received 1 March, due 22 March) is due this week but not within 3 days; G is overdue.
        var midMarch = await factory.Services.GetRequiredService<ReportService>().DashboardAsync(T0.AddDays(16));
        Assert.Equal((1, 0, 1), (midMarch.DueWithinSevenDays, midMarch.DueWithinThreeDays, midMarch.Overdue));
        Assert.Equal(2, midMarch.OpenByStatus.Values.Sum());
    }

    [Fact]
    public async Task The_yearly_report_downloads_as_CSV_for_supervisors_only()
    {
        var supervisor = await factory.SignedInClientAsync("supervisor@demo.local");
        var agent = await factory.SignedInClientAsync("agent@demo.local");

        var csv = await supervisor.GetStringAsync("/reports/yearly/2027.csv");
        var denied = await agent.GetAsync("/reports/yearly/2027.csv");

        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.StartsWith("year,request_type,received,completed,completed_in_part,refused,withdrawn,still_open,median_days,mean_days,on_time_rate", lines[0]);
        Assert.StartsWith("2027,Export,3,2,0,1,0,0,4,3.7,1,", lines.Single(l => l.StartsWith("2027,Export,")));
        Assert.NotEqual(System.Net.HttpStatusCode.OK, denied.StatusCode);
    }
}
