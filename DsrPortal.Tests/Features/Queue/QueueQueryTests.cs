using DsrPortal.Features.Queue;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Queue;

/// <summary>The queue's filters against real rows, and the indexes that keep them fast at volume.</summary>
public sealed class QueueQueryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory factory;
    private readonly Dictionary<string, Guid> requests = [];
    private RequestActor agent = null!;

    public QueueQueryTests() => factory = new PortalFactory(new Dictionary<string, string?> { ["Outbox:WorkerEnabled"] = "false" }, clock);

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await factory.ActorAsync("subject@demo.local");
        agent = await factory.ActorAsync("agent@demo.local");

        // Received three weeks ago: overdue by now (CN, 15 working days).
        requests["old-export"] = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        clock.Advance(TimeSpan.FromDays(19));
        requests["claimed-deletion"] = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId, DeletionScope = DeletionScope.WholeAccount,
        }, subject, "session")).Request!.Id;
        await workflow.ClaimAsync(requests["claimed-deletion"], agent);
        requests["phone-export"] = (await workflow.SubmitAsync(subject.Export(RequestChannel.Phone) with { RequesterId = agent.UserId, Relation = RequesterRelation.AgentOnBehalf }, agent, "Caller verified")).Request!.Id;
        requests["withdrawn"] = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.WithdrawAsync(requests["withdrawn"], subject);
        clock.Advance(TimeSpan.FromDays(3));
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_count_stops_one_past_its_cap_so_a_huge_queue_says_more_than_instead_of_scanning()
    {
        await using var db = factory.CreateDbContext();
        var all = QueueQuery.Filter(db.Requests, new QueueFilter(), agent.UserId, clock.GetUtcNow());

        var exact = await all.CountAsync();
        Assert.True(exact >= 3);

        Assert.Equal(exact, await QueueQuery.CountUpToAsync(all, exact + 5, CancellationToken.None));
        Assert.Equal(exact, await QueueQuery.CountUpToAsync(all, exact, CancellationToken.None));
        Assert.Equal(exact, await QueueQuery.CountUpToAsync(all, exact - 1, CancellationToken.None));
        Assert.Equal(2, await QueueQuery.CountUpToAsync(all, 1, CancellationToken.None));
    }

    private async Task<List<string>> RunAsync(QueueFilter filter)
    {
        await using var db = factory.CreateDbContext();
        var ids = await QueueQuery.Filter(db.Requests.AsNoTracking(), filter, agent.UserId, clock.GetUtcNow()).Select(r => r.Id).ToListAsync();
        return [.. requests.Where(p => ids.Contains(p.Value)).Select(p => p.Key).Order()];
    }

    [Fact]
    public async Task By_default_the_queue_shows_open_work_only() =>
        Assert.Equal(["claimed-deletion", "old-export", "phone-export"], await RunAsync(new QueueFilter()));

    [Fact]
    public async Task Overdue_finds_the_request_past_its_deadline() =>
        Assert.Equal(["old-export"], await RunAsync(new QueueFilter { Due = DueFilter.Overdue }));

    [Fact]
    public async Task Mine_and_unassigned_split_the_work()
    {
        Assert.Equal(["claimed-deletion"], await RunAsync(new QueueFilter { Assignee = AssigneeFilter.Me }));
        Assert.Equal(["old-export", "phone-export"], await RunAsync(new QueueFilter { Assignee = AssigneeFilter.Unassigned }));
    }

    [Fact]
    public async Task Type_channel_and_status_filters_combine()
    {
        Assert.Equal(["phone-export"], await RunAsync(new QueueFilter { Type = RequestType.Export, Channel = RequestChannel.Phone }));
        Assert.Equal(["withdrawn"], await RunAsync(new QueueFilter { Status = RequestStatus.Withdrawn }));
        Assert.Equal(4, (await RunAsync(new QueueFilter { IncludeClosed = true })).Count);
    }

    [Fact]
    public async Task A_reference_finds_its_request_whatever_else_is_filtered()
    {
        await using var db = factory.CreateDbContext();
        var withdrawn = await db.Requests.SingleAsync(r => r.Id == requests["withdrawn"]);

        Assert.Equal(["withdrawn"], await RunAsync(new QueueFilter { Search = withdrawn.Reference, Type = RequestType.Deletion }));
        Assert.Equal(["withdrawn"], await RunAsync(new QueueFilter { Search = withdrawn.Number.ToString() }));
    }

    [Fact]
    public async Task Sorting_by_received_newest_first_puts_the_latest_request_on_top()
    {
        await using var db = factory.CreateDbContext();
        var filtered = QueueQuery.Filter(db.Requests.AsNoTracking(), new QueueFilter { IncludeClosed = true }, agent.UserId, clock.GetUtcNow());

        var byReceived = await QueueQuery.Sort(filtered, new QueueOrder(QueueSort.Received, Descending: true)).Select(r => r.Id).ToListAsync();
        var byDue = await QueueQuery.Sort(filtered, new QueueOrder()).Select(r => r.Id).ToListAsync();

        Assert.Equal(requests["old-export"], byReceived.Last());
        Assert.Equal(requests["old-export"], byDue.First());
    }

    [Theory]
    [InlineData(QueueSort.Due, false)]
    [InlineData(QueueSort.Received, true)]
    [InlineData(QueueSort.Reference, true)]
    public async Task Paging_by_keyset_walks_every_row_once_in_order_even_when_a_request_arrives_meanwhile(QueueSort column, bool descending)
    {
        var order = new QueueOrder(column, descending);
        var filter = new QueueFilter { IncludeClosed = true };
        List<Guid> expected;
        await using (var db = factory.CreateDbContext())
        {
            expected = await QueueQuery.Sort(QueueQuery.Filter(db.Requests.AsNoTracking(), filter, agent.UserId, clock.GetUtcNow()), order).Select(r => r.Id).ToListAsync();
        }

        var total = expected.Count;
        var walked = new List<Guid>();
        QueueCursor? after = null;
        for (var pages = 0; ; pages++)
        {
            await using var db = factory.CreateDbContext();
            var slice = await QueueQuery.PageAsync(db, filter, agent.UserId, clock.GetUtcNow(), order, after, 1, CancellationToken.None);
            Assert.Equal(total, slice.Counted);
            walked.AddRange(slice.Rows.Select(r => r.Id));
            if (pages == 0)
            {
                // Received now, due last: it sorts before the cursor in the newest-first orders and after it in the others.
                var subject = await factory.ActorAsync("subject@demo.local");
                var late = (await factory.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
                total++;
                if (!descending)
                {
                    expected.Add(late);
                }
            }

            if (!slice.HasMore)
            {
                break;
            }

            after = QueueCursor.After(slice.Rows[^1]);
        }

        Assert.Equal(expected, walked);
    }

    [Fact]
    public async Task A_queue_reloads_only_for_a_change_to_a_row_it_shows_or_to_a_request_its_filter_matched_or_now_matches()
    {
        var heard = new List<RequestChange>();
        factory.Services.GetRequiredService<RequestChangeNotifier>().Changed += change =>
        {
            lock (heard)
            {
                heard.Add(change);
            }

            return Task.CompletedTask;
        };
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var subject = await factory.ActorAsync("subject@demo.local");
        var id = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.WithdrawAsync(id, subject);
        await Eventually.TrueAsync(() => { lock (heard) { return heard.Count(c => c.RequestId == id) == 2; } }, "the submission and the withdrawal to be heard");
        var submitted = heard.Single(c => c.RequestId == id && c.Before is null);
        var withdrawn = heard.Single(c => c.RequestId == id && c.Before is not null);
        var now = clock.GetUtcNow();
        var open = new QueueFilter();
        var deletions = new QueueFilter { Type = RequestType.Deletion };
        var refused = new QueueFilter { Status = RequestStatus.Refused };

        Assert.True(QueueQuery.MayChangePage(open, agent.UserId, now, [], submitted));
        Assert.True(QueueQuery.MayChangePage(open, agent.UserId, now, [], withdrawn));
        Assert.False(QueueQuery.MayChangePage(deletions, agent.UserId, now, [], submitted));
        Assert.False(QueueQuery.MayChangePage(deletions, agent.UserId, now, [], withdrawn));
        Assert.False(QueueQuery.MayChangePage(refused, agent.UserId, now, [], withdrawn));
        Assert.True(QueueQuery.MayChangePage(refused, agent.UserId, now, [id], withdrawn));
        Assert.True(QueueQuery.MayChangePage(deletions, agent.UserId, now, [], new RequestChange(id)));
    }

    [Theory]
    [InlineData("Requests", "SELECT * FROM Requests WHERE Status = 'Open' ORDER BY DueAt LIMIT 25")]
    [InlineData("Requests", "SELECT * FROM Requests WHERE AssigneeId = 'x' ORDER BY DueAt LIMIT 25")]
    [InlineData("Requests", "SELECT * FROM Requests WHERE Number = 42")]
    [InlineData("Requests", "SELECT * FROM Requests ORDER BY ReceivedAt DESC LIMIT 25")]
    [InlineData("Requests", "SELECT * FROM Requests WHERE SubjectId = 'x' ORDER BY ReceivedAt DESC")]
    [InlineData("AuditEvents", "SELECT * FROM AuditEvents WHERE RequestId = 'x' ORDER BY Sequence")]
    [InlineData("OutboxMessages", "SELECT * FROM OutboxMessages WHERE Status = 'Pending' AND NextAttemptAt <= 0")]
    public async Task The_queries_behind_the_queue_use_an_index_rather_than_a_scan(string table, string sql)
    {
        await using var db = factory.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.DoesNotContain(plan, step => step == $"SCAN {table}");
        Assert.Contains(plan, step => (step.StartsWith("SEARCH") || step.StartsWith("SCAN")) && (step.Contains("INDEX") || step.Contains("PRIMARY KEY")));
    }
}
