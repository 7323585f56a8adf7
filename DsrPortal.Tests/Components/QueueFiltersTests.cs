using Bunit;
using DsrPortal.Features.Queue;
using DsrPortal.Features.Requests;

namespace DsrPortal.Tests.Components;

public sealed class QueueFiltersTests : BunitTestContext
{
    private QueueFilter? changed;

    private (IRenderedComponent<MudBlazor.MudPopoverProvider> Popovers, IRenderedComponent<QueueFilters> Filters) RenderFilters(QueueFilter filter)
    {
        UseCulture("en");
        var popovers = RenderProviders();
        var filters = Render<QueueFilters>(p => p
            .Add(f => f.Filter, filter)
            .Add(f => f.FilterChanged, (QueueFilter f) => changed = f));
        return (popovers, filters);
    }

    private static void Pick(IRenderedComponent<MudBlazor.MudPopoverProvider> popovers, IRenderedComponent<QueueFilters> filters, string testId, string item)
    {
        // The select opens from its outer element; its data-testid sits on the inner input.
        filters.Find($"[data-testid={testId}]").Closest(".mud-select")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == item));
        popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == item).Click();
    }

    [Fact]
    public void Choosing_overdue_asks_for_overdue_requests_and_keeps_the_other_filters()
    {
        var (popovers, filters) = RenderFilters(new QueueFilter { Type = RequestType.Deletion });

        Pick(popovers, filters, "filter-due", "Overdue");

        // The select reports its value after the popover closes, on the renderer's next turn.
        filters.WaitForAssertion(() => Assert.Equal(new QueueFilter { Type = RequestType.Deletion, Due = DueFilter.Overdue }, changed), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Choosing_unassigned_and_a_status_narrow_the_queue()
    {
        var (popovers, filters) = RenderFilters(new QueueFilter());

        Pick(popovers, filters, "filter-assignee", "Unassigned");
        filters.WaitForAssertion(() => Assert.Equal(AssigneeFilter.Unassigned, changed?.Assignee), TimeSpan.FromSeconds(3));

        Pick(popovers, filters, "filter-status", "Waiting for the requester");
        filters.WaitForAssertion(() => Assert.Equal(RequestStatus.AwaitingRequester, changed?.Status), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Typing_a_reference_searches_for_it()
    {
        var (_, filters) = RenderFilters(new QueueFilter());

        filters.Find("[data-testid=filter-search]").Input("DSR-2026-000042");

        filters.WaitForAssertion(() => Assert.Equal("DSR-2026-000042", changed?.Search), TimeSpan.FromSeconds(3));
    }
}
