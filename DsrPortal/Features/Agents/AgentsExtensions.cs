using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Api;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Agents;

internal static class AgentsExtensions
{
    public static IHostApplicationBuilder AddPortalAgents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AgentRequests>();
        return builder;
    }

    public static WebApplication MapPortalAgents(this WebApplication app)
    {
        // Staff check the signed permission before acting; each opening is audited, and it is gone after the decision.
        app.MapGet("/queue/{id:guid}/agent-permission", OpenDocumentAsync)
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Agent, PortalRoles.Supervisor))
            .ExcludeFromDescription();

        app.MapPost(ApiExtensions.Prefix + "/agent-requests", SubmitAsync)
            .WithTags("Requests")
            .DisableAntiforgery()
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireAuthenticatedUser().RequireRole(PortalRoles.Subject))
            .AddEndpointFilter(ApiExtensions.RequireCurrentAccountAsync)
            .WithName("SubmitAgentRequest")
            .WithSummary("Act for someone else as their authorized agent (CCPA 7063): name them by email or mobile number and attach their signed permission.")
            .WithDescription("The permission is a PDF, JPEG or PNG of at most 5 MB, sent as base64. The request waits in AwaitingVerification until the person answers "
                + "the link we send to the address or number given (never to you); it closes after 7 days without an answer. Follow it like your own requests; "
                + "the export goes to the person unless they let you receive it.")
            .Accepts<AgentRequestBody>("application/json")
            .Produces<CreatedRequestResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> OpenDocumentAsync(
        Guid id, HttpContext http, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] IDataProtectionProvider protection,
        [FromServices] AuditWriter audit, CancellationToken cancellationToken)
    {
        var actor = RequestActor.From(http.User);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var authorization = await db.AgentAuthorizations.AsNoTracking().SingleOrDefaultAsync(a => a.RequestId == id, cancellationToken);
        if (authorization?.ProtectedDocument is null)
        {
            return Results.NotFound();
        }

        await audit.AppendAsync(db, actor.ForAudit, AuditActions.EvidenceOpened, id, authorization.SubjectId,
            new Dictionary<string, string?> { ["document"] = "agent-permission" }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        var extension = authorization.DocumentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
        return Results.File(AgentRequests.DocumentProtector(protection).Unprotect(authorization.ProtectedDocument), authorization.DocumentType, "permission" + extension);
    }

    private static async Task<IResult> SubmitAsync(HttpRequest http, ClaimsPrincipal user, [FromServices] AgentRequests agents, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<AgentRequestBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var kind = ApiMapping.ParseEnum<AgentKind>(body.AgentKind, "agentKind", "agent kind", errors, required: true);
        byte[]? document = null;
        try
        {
            document = string.IsNullOrEmpty(body.PermissionDocument) ? null : Convert.FromBase64String(body.PermissionDocument);
        }
        catch (FormatException)
        {
            errors["permissionDocument"] = ["Send the signed permission as base64."];
        }

        var parsed = RequestEndpoints.ParseRequest(body.Type, body.Scope, body.Details, errors);
        if (kind is null || parsed is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var contact = !string.IsNullOrWhiteSpace(body.SubjectEmail) ? body.SubjectEmail : body.SubjectPhone;
        var result = await agents.SubmitAsync(
            new AgentSubmission(contact, kind.Value, body.AgentName, subjectId => parsed(subjectId) with { RelatedRequestId = null }, "permission", document, RequestChannel.Api),
            RequestActor.From(user), cancellationToken);
        if (result.Error is { } error)
        {
            return ApiResults.Failure(error, StatusCodes.Status400BadRequest);
        }

        var created = result.Request!;
        return TypedResults.Created($"{ApiExtensions.Prefix}/requests/{created.Id}",
            new CreatedRequestResponse(created.Id, created.Reference, created.Status.ToString(), created.ReceivedAt, created.DueAt));
    }
}

/// <param name="PermissionDocument">The signed permission, base64: PDF, JPEG or PNG, at most 5 MB.</param>
public sealed record AgentRequestBody(
    string? SubjectEmail, string? SubjectPhone, string? AgentKind, string? AgentName, string? Type, RequestScopeBody? Scope, RequestDetailsBody? Details,
    string? PermissionDocument);
