using Bunit;
using DsrPortal.Features.Queue;
using DsrPortal.Features.Requests;

namespace DsrPortal.Tests.Components;

public sealed class QueueFiltersTests : BunitTestContext
{
    private QueueFilter? changed;

    private IRenderedComponent<QueueFilters> RenderFilters(QueueFilter filter)
    {
        UseCulture("en");
        return Render<QueueFilters>(p => p
            .Add(f => f.Filter, filter)
            .Add(f => f.FilterChanged, (QueueFilter f) => changed = f));
    }

    /// <summary>Chooses the option the agent reads, as the browser reports it: by the option's value.</summary>
    private static void Pick(IRenderedComponent<QueueFilters> filters, string testId, string item)
    {
        var select = filters.Find($"[data-testid={testId}]");
        var option = select.QuerySelectorAll("option").Single(o => o.TextContent.Trim() == item);
        select.Change(option.GetAttribute("value"));
    }

    [Fact]
    public void Choosing_overdue_asks_for_overdue_requests_and_keeps_the_other_filters()
    {
        var filters = RenderFilters(new QueueFilter { Type = RequestType.Deletion });

        Pick(filters, "filter-due", "Overdue");

        Assert.Equal(new QueueFilter { Type = RequestType.Deletion, Due = DueFilter.Overdue }, changed);
    }

    [Fact]
    public void Choosing_unassigned_and_a_status_narrow_the_queue()
    {
        var filters = RenderFilters(new QueueFilter());

        Pick(filters, "filter-assignee", "Unassigned");
        Assert.Equal(AssigneeFilter.Unassigned, changed?.Assignee);

        Pick(filters, "filter-status", "Waiting for the requester");
        Assert.Equal(RequestStatus.AwaitingRequester, changed?.Status);

        // Back to any status: the filter is cleared, not set to the first status.
        Pick(filters, "filter-status", "Any status");
        Assert.Null(changed?.Status);
    }

    [Fact]
    public void The_current_filter_is_the_selected_option_and_a_forged_value_changes_nothing()
    {
        var filters = RenderFilters(new QueueFilter { Type = RequestType.Correction, Due = DueFilter.Overdue });

        Assert.Equal("Correction", filters.Find("[data-testid=filter-type] option[selected]").TextContent.Trim());
        Assert.Equal("Overdue", filters.Find("[data-testid=filter-due] option[selected]").TextContent.Trim());

        filters.Find("[data-testid=filter-due]").Change("99");
        filters.Find("[data-testid=filter-type]").Change("Deletion");
        Assert.Null(changed);
    }

    [Fact]
    public void Including_closed_requests_is_a_checkbox()
    {
        var filters = RenderFilters(new QueueFilter());

        filters.Find("[data-testid=filter-closed]").Change(true);

        Assert.True(changed?.IncludeClosed);
    }

    [Fact]
    public void Typing_a_reference_searches_for_it()
    {
        var filters = RenderFilters(new QueueFilter());

        filters.Find("[data-testid=filter-search]").Input("DSR-2026-000042");

        filters.WaitForAssertion(() => Assert.Equal("DSR-2026-000042", changed?.Search), TimeSpan.FromSeconds(3));
    }
}
