using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Features.Disputes;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Hosting;

/// <summary>
/// Every page, endpoint and download that takes an identifier, read from the route table itself, asked by
/// someone it does not belong to with the real identifier of someone else's request, link, session or
/// file: each answers "not found" (or, for staff-only routes, refuses the role), so nothing tells the
/// stranger it exists. A new route with a parameter fails here until it is listed, with its answer.
/// </summary>
public sealed class StrangerAccessTests : IAsyncLifetime
{
    private const string Owner = "subject@demo.local";
    private const string Stranger = "guardian@demo.local";

    private readonly PortalFactory factory = new();
    private readonly Dictionary<string, string> values = [];

    public async Task InitializeAsync()
    {
        _ = factory.Server;
        var workflow = factory.Services.GetRequiredService<RequestWorkflow>();
        var disputes = factory.Services.GetRequiredService<DisputeWorkflow>();
        var owner = await factory.ActorAsync(Owner);
        var agent = await factory.ActorAsync("agent@demo.local");

        // A finished export, with its package waiting for download.
        var export = (await workflow.SubmitAsync(owner.Export(), owner, "session")).Request!.Id;
        await workflow.ClaimAsync(export, agent);
        await workflow.ApproveAsync(export, agent, null);
        Assert.Equal(1, await factory.Services.GetRequiredService<FulfilmentRunner>().RunDueAsync());

        // A closed dispute with evidence: its record and the file can be downloaded by its parties.
        var dispute = (await workflow.SubmitAsync(new NewRequest
        {
            Type = RequestType.Dispute, SubjectId = owner.UserId, RequesterId = owner.UserId,
            DisputeSubject = DisputeSubject.Advertising, Description = "Stop the ads.",
        }, owner, "session")).Request!.Id;
        Assert.True((await factory.Services.GetRequiredService<DisputeEvidence>().AddAsync(dispute, "letter.png", SampleDocuments.Png, owner)).Succeeded);
        await workflow.ClaimAsync(dispute, agent);
        Assert.True((await disputes.CloseUnresolvedAsync(dispute, "We could not agree.", agent, null)).Succeeded);

        await using var db = factory.CreateDbContext();
        values["export"] = export.ToString();
        values["dispute"] = dispute.ToString();
        values["attachment"] = (await db.RequestAttachments.Where(a => a.RequestId == dispute).Select(a => a.Id).SingleAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The stranger here is the subject, and the link belongs to the demo guardian and minor.
        values["guardian-link"] = (await db.GuardianLinks.Select(l => l.Id).FirstAsync()).ToString();
        var ownerApi = await factory.ApiClientAsync(Owner);
        var sessions = await ownerApi.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        values["session"] = sessions.EnumerateArray().First().GetProperty("id").GetString()!;
        var supervisor = (await factory.ActorAsync("supervisor@demo.local")).ForAudit;
        var notice = await factory.Services.GetRequiredService<DsrPortal.Features.Notices.NoticeService>().SendAsync(new DsrPortal.Features.Notices.NoticeDraft(
            DsrPortal.Features.Notices.NoticeKind.Merger, "Merger", "合并", "Body", "正文", DsrPortal.Features.Notices.NoticeAudience.List, List: Owner), supervisor);
        values["notice"] = notice.Notice!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>How each route with a parameter is filled, who asks, and what they must get.</summary>
    private sealed record Probe(string Value, string Stranger, Expect Expect, object? Body = null, string? Attachment = null);

    private enum Expect
    {
        /// <summary>404: the stranger cannot tell the thing exists.</summary>
        NotFound,

        /// <summary>A staff-only route: refused by role before the identifier is looked at.</summary>
        StaffOnly,

        /// <summary>A link carrying a signed token: a forged one opens nothing (404, back to the start with "this link expired", or the page's own "this link does not work").</summary>
        ForgedLink,

        /// <summary>A page that reads its token only when the button on it is pressed: the same empty page for any token.</summary>
        TokenCheckedOnUse,

        /// <summary>A page's own form post: without the page's antiforgery token it is refused before anything is read.</summary>
        FormPost,

        /// <summary>The parameter names no one's data (a static file, the API description).</summary>
        NotAnIdentifier,
    }

    private Dictionary<string, Probe> Probes => new()
    {
        ["GET /{**path:file}"] = new("", Stranger, Expect.NotAnIdentifier),
        ["GET /openapi/{documentName}.json"] = new("", Stranger, Expect.NotAnIdentifier),
        ["GET /requests/{Id:guid}"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["POST /requests/{Id:guid}"] = new(values["dispute"], Stranger, Expect.FormPost),
        ["POST /queue/{Id:guid}"] = new(values["dispute"], Stranger, Expect.FormPost),
        ["POST /guardians/links/{Id:guid}"] = new(values["guardian-link"], Owner, Expect.FormPost),
        ["POST /guardians/verification/{Id:guid}"] = new(values["guardian-link"], Owner, Expect.FormPost),
        ["POST /guardians/accept/{Token}"] = new("forged-token", Stranger, Expect.FormPost),
        ["POST /agent-consent/{Token}"] = new("forged-token", Stranger, Expect.FormPost),
        ["GET /requests/{id:guid}/export"] = new(values["export"], Stranger, Expect.NotFound),
        ["GET /requests/{id:guid}/dispute-record"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["GET /requests/{id:guid}/evidence/{attachmentId:long}"] = new(values["dispute"], Stranger, Expect.NotFound, Attachment: values["attachment"]),
        ["GET /queue/{Id:guid}"] = new(values["dispute"], Stranger, Expect.StaffOnly),
        ["GET /queue/{id:guid}/agent-permission"] = new(values["dispute"], Stranger, Expect.StaffOnly),
        ["GET /guardians/verification/{Id:guid}"] = new(values["guardian-link"], Owner, Expect.StaffOnly),
        ["GET /guardians/documents/{id:long}"] = new("1", Owner, Expect.StaffOnly),
        ["GET /deceased/{Id:guid}"] = new(values["guardian-link"], Owner, Expect.StaffOnly),
        ["POST /deceased/{Id:guid}"] = new(values["guardian-link"], Owner, Expect.FormPost),
        ["GET /deceased/documents/{id:long}"] = new("1", Owner, Expect.StaffOnly),
        ["GET /guardians/links/{Id:guid}"] = new(values["guardian-link"], Owner, Expect.NotFound),
        ["GET /reports/yearly/{year:int}.csv"] = new("2026", Stranger, Expect.StaffOnly),
        ["GET /guardians/accept/{Token}"] = new("forged-token", Stranger, Expect.TokenCheckedOnUse),
        ["GET /agent-consent/{Token}"] = new("forged-token", Stranger, Expect.ForgedLink),
        ["GET /follow/{token}"] = new("forged-token", Stranger, Expect.ForgedLink),
        ["GET /tasks/{Token}"] = new("forged-token-of-a-plausible-length-0000", Stranger, Expect.ForgedLink),
        ["POST /tasks/{Token}"] = new("forged-token-of-a-plausible-length-0000", Stranger, Expect.FormPost),
        ["GET /api/v1/requests/{id:guid}"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["POST /api/v1/requests/{id:guid}/withdraw"] = new(values["dispute"], Stranger, Expect.NotFound, new { }),
        ["GET /api/v1/requests/{id:guid}/messages"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["POST /api/v1/requests/{id:guid}/messages"] = new(values["dispute"], Stranger, Expect.NotFound, new { body = "Let me in." }),
        ["GET /api/v1/requests/{id:guid}/proposals"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["POST /api/v1/requests/{id:guid}/proposal/answer"] = new(values["dispute"], Stranger, Expect.NotFound, new { accept = true }),
        ["POST /api/v1/requests/{id:guid}/escalate"] = new(values["dispute"], Stranger, Expect.NotFound, new { reason = "Look at this." }),
        ["GET /api/v1/requests/{id:guid}/corrections"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["GET /api/v1/requests/{id:guid}/dispute-record"] = new(values["dispute"], Stranger, Expect.NotFound),
        ["GET /api/v1/requests/{id:guid}/export"] = new(values["export"], Stranger, Expect.NotFound),
        ["POST /api/v1/requests/{id:guid}/verification/code"] = new(values["export"], Stranger, Expect.NotFound, new { }),
        ["POST /api/v1/requests/{id:guid}/verification"] = new(values["export"], Stranger, Expect.NotFound, new { code = "123456" }),
        ["DELETE /api/v1/me/sessions/{id:guid}"] = new(values["session"], Stranger, Expect.NotFound),
        // A connector's name, no one's data: its callback is refused unless signed with that connector's secret (HttpConnectorTests).
        ["POST /api/v1/connectors/{source}/callback"] = new("shop", Stranger, Expect.NotAnIdentifier),
        // A use of data (Advertising...): it always applies to the caller's own choices.
        ["PUT /api/v1/me/preferences/{purpose}"] = new("Advertising", Stranger, Expect.NotAnIdentifier),
        // A notice sent to the owner only.
        ["POST /api/v1/me/notices/{id:long}/read"] = new(values["notice"], Stranger, Expect.NotFound, new { }),
        ["POST /api/v1/me/notices/{id:long}/answer"] = new(values["notice"], Stranger, Expect.NotFound, new { answer = "Agree" }),
    };

    [Fact]
    public async Task Every_route_with_an_identifier_tells_a_stranger_nothing()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count > 0 && !e.RoutePattern.RawText!.StartsWith("/_", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Where(m => m != "HEAD")
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .Distinct()
            .Order()
            .ToList();
        var probes = Probes;
        var unlisted = routes.Where(r => !probes.ContainsKey(r)).ToList();
        Assert.True(unlisted.Count == 0, $"Routes with a parameter that this test does not probe yet: {string.Join(", ", unlisted)}. Add each with the answer a stranger must get.");

        var web = new Dictionary<string, HttpClient>();
        var api = new Dictionary<string, HttpClient>();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var probe = probes[route];
            if (probe.Expect == Expect.NotAnIdentifier)
            {
                continue;
            }

            var method = route[..route.IndexOf(' ', StringComparison.Ordinal)];
            var path = Fill(route[(method.Length + 1)..], probe);
            var isApi = path.StartsWith("/api/", StringComparison.Ordinal);
            var clients = isApi ? api : web;
            if (!clients.TryGetValue(probe.Stranger, out var client))
            {
                client = clients[probe.Stranger] = isApi ? await factory.ApiClientAsync(probe.Stranger) : await factory.SignedInClientAsync(probe.Stranger);
            }

            using var message = new HttpRequestMessage(new HttpMethod(method), path);
            if (probe.Body is not null)
            {
                message.Content = JsonContent.Create(probe.Body);
            }

            var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var refused = probe.Expect switch
            {
                Expect.NotFound => response.StatusCode == HttpStatusCode.NotFound,
                Expect.StaffOnly => response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("AccessDenied", StringComparison.Ordinal))
                    || body.Contains("data-testid=\"access-denied\"", StringComparison.Ordinal),
                Expect.ForgedLink => response.StatusCode == HttpStatusCode.NotFound
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("expired=true", StringComparison.Ordinal))
                    || (response.StatusCode == HttpStatusCode.OK && body.Contains("data-testid=\"agent-consent-expired\"", StringComparison.Ordinal)),
                Expect.TokenCheckedOnUse => response.StatusCode == HttpStatusCode.OK,
                Expect.FormPost => response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("AccessDenied", StringComparison.Ordinal)),
                _ => false,
            };
            if (!refused)
            {
                failures.Add($"{method} {path} as {probe.Stranger}: {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, "A stranger was not refused: " + string.Join("; ", failures));
    }

    /// <summary>Route templates as the table lists them, whatever each endpoint's group prefix looks like.</summary>
    private static string Normalise(string raw) => "/" + raw.TrimStart('/');

    private static string Fill(string template, Probe probe) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(?<name>[A-Za-z]+)(:[a-z]+)?\}",
            m => m.Groups["name"].Value == "attachmentId" ? probe.Attachment! : probe.Value);
}
