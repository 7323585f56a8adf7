using Bunit;
using DsrPortal.Components.Layout;
using DsrPortal.Features.Accounts;

namespace DsrPortal.Tests.Components;

public sealed class NavMenuTests : BunitTestContext
{
    private static readonly string[] SubjectLinks = ["nav-my-data", "nav-my-requests", "nav-new-request"];
    private static readonly string[] SupervisorLinks = ["nav-reports", "nav-audit", "nav-staff", "nav-settings"];

    private List<string> VisibleLinks()
    {
        RenderProviders();
        var menu = Render<NavMenu>();
        return [.. menu.FindAll("[data-testid^=nav-]").Select(e => e.GetAttribute("data-testid")!)];
    }

    [Fact]
    public void A_visitor_sees_sign_in_and_register_but_no_staff_or_personal_pages()
    {
        AddAuthorization();

        var links = VisibleLinks();

        Assert.Contains("nav-login", links);
        Assert.Contains("nav-register", links);
        Assert.DoesNotContain("nav-queue", links);
        Assert.DoesNotContain("nav-my-data", links);
    }

    [Fact]
    public void A_data_subject_sees_their_own_pages_and_not_the_queue()
    {
        AddAuthorization().SetAuthorized("subject@demo.local").SetRoles(PortalRoles.Subject);

        var links = VisibleLinks();

        Assert.All(SubjectLinks, l => Assert.Contains(l, links));
        Assert.DoesNotContain("nav-queue", links);
        Assert.DoesNotContain("nav-login", links);
        Assert.All(SupervisorLinks, l => Assert.DoesNotContain(l, links));
    }

    [Fact]
    public void An_agent_sees_the_queue_but_not_supervision_pages()
    {
        AddAuthorization().SetAuthorized("agent@demo.local").SetRoles(PortalRoles.Agent);

        var links = VisibleLinks();

        Assert.Contains("nav-queue", links);
        Assert.All(SupervisorLinks, l => Assert.DoesNotContain(l, links));
        Assert.All(SubjectLinks, l => Assert.DoesNotContain(l, links));
    }

    [Fact]
    public void A_supervisor_sees_the_queue_and_every_supervision_page()
    {
        AddAuthorization().SetAuthorized("supervisor@demo.local").SetRoles(PortalRoles.Supervisor);

        var links = VisibleLinks();

        Assert.Contains("nav-queue", links);
        Assert.All(SupervisorLinks, l => Assert.Contains(l, links));
    }

    [Fact]
    public void In_Chinese_the_navigation_reads_in_Chinese()
    {
        UseCulture("zh-CN");
        AddAuthorization().SetAuthorized("subject@demo.local").SetRoles(PortalRoles.Subject);
        RenderProviders();

        var menu = Render<NavMenu>();

        Assert.Equal("我的数据", menu.Find("[data-testid=nav-my-data]").TextContent.Trim());
        Assert.Equal("我的申请", menu.Find("[data-testid=nav-my-requests]").TextContent.Trim());
    }
}
