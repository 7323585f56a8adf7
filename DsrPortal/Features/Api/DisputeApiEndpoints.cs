using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Disputes;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Api;

/// <summary>A dispute's negotiation for the mobile app: read proposals, answer the open one, escalate, download the record.</summary>
internal static class DisputeApiEndpoints
{
    public static RouteGroupBuilder MapDisputeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/requests/{id:guid}/proposals", ListProposalsAsync)
            .WithName("ListDisputeProposals")
            .WithSummary("The proposals made in one of your disputes, oldest first.")
            .Produces<List<ProposalResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/requests/{id:guid}/proposal/answer", AnswerAsync)
            .WithName("AnswerDisputeProposal")
            .WithSummary("Accept the open proposal (it becomes the settlement) or reject it, with an optional comment.")
            .Accepts<ProposalAnswerBody>("application/json")
            .Produces<RequestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/requests/{id:guid}/escalate", EscalateAsync)
            .WithName("EscalateDispute")
            .WithSummary("Ask for a supervisor to look at one of your open disputes.")
            .Accepts<EscalationBody>("application/json")
            .Produces<RequestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/requests/{id:guid}/dispute-record", async (Guid id, ClaimsPrincipal user, [FromServices] DisputeRecord records, CancellationToken cancellationToken) =>
                await records.BuildAsync(id, RequestActor.From(user), cancellationToken) is { } record
                    ? TypedResults.File(record.Zip, "application/zip", record.FileName)
                    : ApiResults.Problem(StatusCodes.Status404NotFound, "There is no closed dispute of yours with this id."))
            .WithName("DownloadDisputeRecord")
            .WithSummary("The record of one of your closed disputes (HTML and evidence in a ZIP), for a court or the regulator.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListProposalsAsync(
        Guid id, ClaimsPrincipal user, [FromServices] RequestAccess access, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await access.AllowsAsync(db, id, RequestActor.From(user), RequestAccessRule.PartyOrStaff, cancellationToken))
        {
            return ApiResults.NotFound();
        }

        var proposals = await db.DisputeProposals.AsNoTracking().Where(p => p.RequestId == id).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(proposals.Select(ApiMapping.Proposal).ToList());
    }

    private static async Task<IResult> AnswerAsync(Guid id, HttpRequest http, ClaimsPrincipal user, [FromServices] DisputeWorkflow disputes, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<ProposalAnswerBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body.Accept is not { } accept)
        {
            return ApiResults.Invalid("accept", "Say whether you accept the proposal: true or false.");
        }

        var result = await disputes.AnswerProposalAsync(id, accept, body.Comment, RequestActor.From(user), cancellationToken);
        return result.Error is { } error ? ApiResults.Failure(error, StatusCodes.Status409Conflict) : TypedResults.Ok(ApiMapping.Request(result.Request!, clock.GetUtcNow()));
    }

    private static async Task<IResult> EscalateAsync(Guid id, HttpRequest http, ClaimsPrincipal user, [FromServices] DisputeWorkflow disputes, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<EscalationBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await disputes.EscalateAsync(id, body.Reason ?? "", RequestActor.From(user), cancellationToken);
        return result.Error is { } error ? ApiResults.Failure(error, StatusCodes.Status409Conflict) : TypedResults.Ok(ApiMapping.Request(result.Request!, clock.GetUtcNow()));
    }
}
