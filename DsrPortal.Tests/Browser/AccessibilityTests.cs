using System.Reflection;
using System.Text.RegularExpressions;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DsrPortal.Tests.Browser;

/// <summary>
/// axe-core over every page of the route table, so a new page is covered without anyone remembering it: each signed
/// in as the role that may see it, in English and in Chinese, at a desktop's width and a phone's, with no violation
/// of any impact allowed.
/// </summary>
[Collection(AccessibilityCollection.Name)]
public sealed partial class AccessibilityTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string Subject = "subject@demo.local";
    private const string Guardian = "guardian@demo.local";
    private const string Agent = "agent@demo.local";
    private const string Supervisor = "supervisor@demo.local";

    /// <summary>Who opens a page whose route or role the attribute alone does not decide, and with which value.</summary>
    private static readonly Dictionary<string, (string? User, string? Value)> Chosen = new()
    {
        ["/agent-consent/{Token}"] = (null, "expired-link"),
        ["/tasks/{Token}"] = (null, "expired-link"),
        ["/guardians/accept/{Token}"] = (Subject, "expired-link"),
        ["/guardians/links/{Id:guid}"] = (Guardian, "guardian-link"),
        ["/guardians/verification/{Id:guid}"] = (Agent, "guardian-link"),
        ["/deceased/{Id:guid}"] = (Agent, "relative-claim"),
        ["/queue/{Id:guid}"] = (Agent, "request"),
        ["/requests/{Id:guid}"] = (Subject, "request"),
        ["/requests/agent"] = (Guardian, null),
    };

    /// <summary>Pages a signed-in person is sent away from (to the home page): scanned as a visitor instead.</summary>
    private static readonly HashSet<string> VisitorsOnly = ["/Account/Login", "/Account/Register", "/make-a-request"];

    public static TheoryData<string, int> Runs => new()
    {
        { "en-US", 1280 },
        { "zh-CN", 1280 },
        { "en-US", 390 },
        { "zh-CN", 390 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Every_page_has_no_accessibility_violations(string locale, int width)
    {
        var values = await ValuesAsync();
        var pages = Pages().ToList();
        Assert.True(pages.Count > 40, $"The route table listed only {pages.Count} pages.");

        // One browser context per person, each going through its pages while the others go through theirs.
        var scans = pages.GroupBy(p => p.User).Select(async group =>
        {
            var page = await fixture.NewPageAsync(locale);
            await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);
            if (group.Key is { } user)
            {
                await page.SignInAsync(user, PortalForms.DemoPassword);
            }

            var found = new List<string>();
            foreach (var (template, _) in group)
            {
                var path = RouteParameter().Replace(template, _ => values[Chosen[template].Value!]).TrimStart('/');
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await SettledTitleAsync(page);
                found.AddRange((await page.ViolationsAsync()).Select(violation => $"{template} as {group.Key ?? "visitor"} [{locale}, {width}px]: {violation}"));
            }

            await page.Context.CloseAsync();
            return found;
        });
        var failures = (await Task.WhenAll(scans)).SelectMany(f => f).ToList();

        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} violation(s) on {failures.Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]).Distinct().Count()} page(s); the first: {failures.FirstOrDefault()}");
    }

    [Fact]
    public async Task Every_email_has_no_accessibility_violations_in_either_language()
    {
        var templates = fixture.Portal.Services.GetRequiredService<DsrPortal.Features.Notifications.EmailTemplates>();
        var names = templates.Names();
        Assert.True(names.Count > 20, $"Only {names.Count} email templates were found.");

        // Per language, two scans: one email as sent (the document around every email: language, title, heading,
        // landmark), then every email's body side by side in that document, each as an article under its subject.
        var scans = new[] { "en", "zh-CN" }.Select(async culture =>
        {
            var bodies = new System.Text.StringBuilder();
            string? first = null;
            foreach (var name in names)
            {
                // Every placeholder the template uses gets a value of its kind: links are links, the rest words.
                var shipped = await templates.ShippedTextAsync(name, culture);
                var values = EmailPlaceholder().Matches(shipped).Select(m => m.Groups[1].Value).Distinct()
                    .ToDictionary(key => key, key => key.Contains("Link", StringComparison.Ordinal) ? "https://portal.example/requests/42" : $"{key} 42");
                var message = await templates.RenderAsync(name, culture, "reader@example.com", values);
                var (html, subject) = (message.HtmlBody!, message.Subject);
                Assert.Contains($"<html lang=\"{culture}\">", html);
                Assert.Equal(subject, System.Net.WebUtility.HtmlDecode(EmailTitle().Match(html).Groups[1].Value));
                first ??= html;
                var main = EmailMain().Match(html);
                bodies.Append("<article>").Append(main.Groups[2].Value.Replace("<h1", "<h2").Replace("</h1>", "</h2>")).Append("</article>\n");
            }

            var page = await fixture.NewPageAsync();
            var found = new List<string>();
            var combined = EmailMain().Replace(first!, m => $"{m.Groups[1].Value}<h1>Every email</h1>{bodies}</main>");
            foreach (var (label, document) in new[] { ("one email", first!), ("every email's body", combined) })
            {
                await page.SetContentAsync(document);
                found.AddRange((await page.ViolationsAsync()).Select(v => $"{label} [{culture}]: {v}"));
            }

            await page.Context.CloseAsync();
            return found;
        });
        var failures = (await Task.WhenAll(scans)).SelectMany(f => f).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// While the circuit starts, the interactive head re-renders before the page does, so for a moment the document
    /// has no title; a reader arrives after that. A page whose title never comes is still scanned, and axe names it.
    /// </summary>
    private static async Task SettledTitleAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => document.title.length > 0", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
        }
    }

    [GeneratedRegex(@"<title>(.*?)</title>")]
    private static partial Regex EmailTitle();

    [GeneratedRegex(@"(<main[^>]*>)(.*)</main>", RegexOptions.Singleline)]
    private static partial Regex EmailMain();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex EmailPlaceholder();

    /// <summary>Every routable page (components with @page) and who may open it, read from the endpoints and the pages' attributes.</summary>
    private IEnumerable<(string Template, string? User)> Pages()
    {
        var endpoints = fixture.Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .GroupBy(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.Key;
            var component = endpoint.First().Metadata.GetMetadata<ComponentTypeMetadata>()!.Type;
            if (Chosen.TryGetValue(template, out var chosen))
            {
                yield return (template, chosen.User);
                continue;
            }

            Assert.False(RouteParameter().IsMatch(template), $"{template} takes a parameter: add it to Chosen with who opens it and with what.");
            if (VisitorsOnly.Contains(template))
            {
                yield return (template, null);
                continue;
            }

            var authorize = component.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
            var roles = authorize.Select(a => a.Roles).FirstOrDefault(r => !string.IsNullOrEmpty(r)) ?? "";
            yield return authorize.Count == 0 ? (template, null)
                : roles.Contains("Supervisor", StringComparison.Ordinal) && !roles.Contains("Agent", StringComparison.Ordinal) ? (template, Supervisor)
                : roles.Contains("Agent", StringComparison.Ordinal) ? (template, Agent)
                : (template, Subject);
        }
    }

    /// <summary>A request of the demo subject (claimed by the agent) and the demo guardian's link, for the pages that show one.</summary>
    private async Task<Dictionary<string, string>> ValuesAsync()
    {
        var factory = fixture.Portal;
        var subject = await factory.ActorAsync(Subject);
        var agent = await factory.ActorAsync(Agent);
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var request = (await workflow.SubmitAsync(subject.Export(), subject, "session")).Request!.Id;
        await workflow.ClaimAsync(request, agent);
        // A new use of data asking the subject's consent: the prompt shows on every page the subject opens, the
        // notices page lists it, and My data shows a use that applies only with consent.
        var supervisor = (await factory.ActorAsync(Supervisor)).ForAudit;
        await factory.Services.GetRequiredService<DsrPortal.Features.Preferences.ProcessingChoices>().AddPurposeAsync(new(
            "ScanPartner", DsrPortal.Features.Preferences.PurposeBasis.ExpressConsent, "Scan Partner Ltd", "Shared insights", "共享的洞察",
            "Statistics shared with a partner.", "与合作伙伴共享的统计。"), supervisor);
        Assert.Null((await factory.Services.GetRequiredService<DsrPortal.Features.Notices.NoticeService>().SendAsync(new(
            DsrPortal.Features.Notices.NoticeKind.NewPurpose, "May we share insights?", "我们可以共享洞察吗？", "We would like to share statistics.", "我们希望共享统计。",
            DsrPortal.Features.Notices.NoticeAudience.List, List: Subject, PurposeKey: "ScanPartner"), supervisor)).Problem);
        await using var db = factory.CreateDbContext();
        return new Dictionary<string, string>
        {
            ["request"] = request.ToString(),
            ["guardian-link"] = (await db.GuardianLinks.Select(l => l.Id).FirstAsync()).ToString(),
            ["expired-link"] = "expired-link",
            ["relative-claim"] = (await factory.Services.GetRequiredService<DsrPortal.Features.Deceased.DeceasedService>().SubmitAsync(
                (await factory.ActorAsync(Guardian)).UserId,
                new(ServiceDb.SubjectPhone, DsrPortal.Features.Deceased.Kinship.Spouse, RequestType.Export, "To settle the estate.", SampleDocuments.Png, SampleDocuments.Pdf))).ToString(),
        };
    }

    [GeneratedRegex(@"\{[A-Za-z]+(:[a-z]+)?\}")]
    private static partial Regex RouteParameter();
}

/// <summary>Its own portal and browser, so the longest browser test runs beside the journeys instead of after them.</summary>
[CollectionDefinition(Name)]
public sealed class AccessibilityCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "accessibility";
}
