using System.Reflection;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.Components;
using NetArchTest.Rules;

namespace DsrPortal.Tests.Hosting;

/// <summary>
/// The dependency rules that keep the portal's layers apart: the audit trail and the data sources are
/// written to by the workflow and know nothing of it; the domain and the REST API know no page.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Portal = typeof(RequestWorkflow).Assembly;

    /// <summary>Every use case and its unit of work: whatever decides what happens to a request.</summary>
    private static readonly string[] Workflows =
    [
        .. Portal.GetTypes()
            .Where(t => t.Name.EndsWith("Workflow", StringComparison.Ordinal) || t == typeof(RequestUnitOfWork)
                || t.Name is "IdentityConfirmations" or "DisputeEvidence" or "AgentRequests" or "FulfilmentCompletion" or "RetryFulfilmentHandler")
            .Select(t => t.FullName!),
    ];

    /// <summary>Every Razor component: pages, panels, layouts.</summary>
    private static readonly string[] Components =
    [
        .. Portal.GetTypes().Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName!),
    ];

    [Fact]
    public void The_audit_trail_knows_no_workflow() =>
        AssertHolds(Types.InAssembly(Portal).That().ResideInNamespace("DsrPortal.Features.Audit").And().MeetCustomRule(NotUi)
            .ShouldNot().HaveDependencyOnAny(Workflows));

    [Fact]
    public void The_data_sources_know_no_workflow() =>
        AssertHolds(Types.InAssembly(Portal).That().ResideInNamespace("DsrPortal.Features.DataSources").And().MeetCustomRule(NotUi)
            .ShouldNot().HaveDependencyOnAny(Workflows));

    /// <summary>The domain: every type of the features that is not itself a component (or declared inside one), nor the start-up wiring.</summary>
    [Fact]
    public void The_domain_knows_no_page() =>
        AssertHolds(Types.InAssembly(Portal).That().ResideInNamespace("DsrPortal.Features").And().MeetCustomRule(NotUi)
            .And().DoNotHaveNameEndingWith("Extensions")
            .And().DoNotResideInNamespace("DsrPortal.Features.Branding") // the brand's MudBlazor theme is the UI's own
            .ShouldNot().HaveDependencyOnAny([.. Components, "MudBlazor"]));

    private static readonly NotAComponent NotUi = new();

    /// <summary>Cecil names a nested type Outer/Inner: one declared inside a component belongs to it.</summary>
    private sealed class NotAComponent : ICustomRule
    {
        public bool MeetsRule(Mono.Cecil.TypeDefinition type) => !Components.Contains(type.FullName.Split('/')[0]);
    }

    [Fact]
    public void The_api_depends_on_no_component() =>
        AssertHolds(Types.InAssembly(Portal).That().ResideInNamespace("DsrPortal.Features.Api")
            .ShouldNot().HaveDependencyOnAny([.. Components, "MudBlazor", "Microsoft.AspNetCore.Components"]));

    [Fact]
    public void The_rules_see_the_types_they_guard()
    {
        // A rule over an empty list passes whatever the code does.
        Assert.Contains(typeof(RequestWorkflow).FullName!, Workflows);
        Assert.Contains(typeof(RequestUnitOfWork).FullName!, Workflows);
        Assert.Contains(Components, c => c.EndsWith(".RequestDetailPage", StringComparison.Ordinal));
        Assert.True(Types.InAssembly(Portal).That().ResideInNamespace("DsrPortal.Features.Api").GetTypes().Count() > 5);
    }

    private static void AssertHolds(ConditionList rule)
    {
        var result = rule.GetResult();
        Assert.True(result.IsSuccessful, "These types break the rule: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
