using System.Security.Claims;
using DsrPortal.Data;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Api;

/// <summary>The caller's own requests and their message threads. Every change goes through <see cref="RequestWorkflow"/>.</summary>
internal static class RequestEndpoints
{
    public const int PageSize = 50;
    private const int MaxPage = 10_000;

    public static RouteGroupBuilder MapRequestEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/requests", ListAsync)
            .WithName("ListRequests")
            .WithSummary("Your requests, newest first, 50 at a time.")
            .WithDescription("Follow the Link header (rel=\"next\") for the next 50: it carries ?after=<cursor>, which starts right after the "
                + "last request you received, so requests made meanwhile neither repeat nor shift what follows. No Link header: that was the last. "
                + "?page=N (50 per page, counted from the newest) still works but slows down deep in a long list.")
            .Produces<List<RequestResponse>>()
            .ProducesValidationProblem();

        api.MapPost("/requests", SubmitAsync)
            .WithName("SubmitRequest")
            .WithSummary("Make a request about your own data.")
            .Accepts<NewRequestBody>("application/json")
            .Produces<CreatedRequestResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        api.MapGet("/requests/{id:guid}", GetAsync)
            .WithName("GetRequest")
            .WithSummary("One of your requests, with what happens next.")
            .Produces<RequestResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/requests/{id:guid}/withdraw", WithdrawAsync)
            .WithName("WithdrawRequest")
            .WithSummary("Withdraw a request that is not closed yet.")
            .Produces<RequestResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/requests/{id:guid}/messages", ListMessagesAsync)
            .WithName("ListRequestMessages")
            .WithSummary("The request's messages, oldest first.")
            .Produces<List<MessageResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/requests/{id:guid}/messages", PostMessageAsync)
            .WithName("PostRequestMessage")
            .WithSummary("Write to the agents handling the request; answering their question restarts the clock.")
            .Accepts<NewMessageBody>("application/json")
            .Produces<MessageResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(
        int? page, string? after, [FromQuery(Name = "for")] string? forMinor, ClaimsPrincipal user, HttpContext http,
        [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] RequestAccess access, [FromServices] TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var index = page ?? 0;
        if (index is < 0 or > MaxPage)
        {
            return ApiResults.Invalid("page", "Pages are numbered from 0 (the newest requests) to 10000.");
        }

        long? before = null;
        if (after is not null)
        {
            if (page is not null)
            {
                return ApiResults.Invalid("after", "Use either ?after= from the Link header or ?page=, not both.");
            }

            if (ListCursor.Read(after) is not { } number)
            {
                return ApiResults.Invalid("after", "This cursor is not one the portal gave out: start again without ?after= and follow the Link header.");
            }

            before = number;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // ?for=<minor id>: a verified guardian lists the minor's requests; anyone else is told there is nothing there.
        var visible = forMinor is null ? await access.PartyToAsync(db, CallerId(user), cancellationToken) : await access.OfWardAsync(db, CallerId(user), forMinor, cancellationToken);
        if (visible is null)
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, "You are not the verified guardian of that account.");
        }

        // Keyset: the next page starts below the last number seen, so it costs the same at any depth.
        var ordered = (before is { } below ? visible.Where(r => r.Number < below) : visible).OrderByDescending(r => r.Number);
        var requests = await (before is null ? ordered.Skip(index * PageSize) : ordered)
            .Take(PageSize + 1)
            .ToListAsync(cancellationToken);
        if (requests.Count > PageSize)
        {
            requests.RemoveAt(PageSize);
            var next = QueryString.Create([
                new("after", ListCursor.Write(requests[^1].Number)),
                .. forMinor is null ? Array.Empty<KeyValuePair<string, string?>>() : [new("for", forMinor)],
            ]);
            http.Response.Headers.Link = $"<{ApiExtensions.Prefix}/requests{next}>; rel=\"next\"";
        }

        var now = clock.GetUtcNow();
        return TypedResults.Ok(requests.Select(r => ApiMapping.Request(r, now)).ToList());
    }

    private static async Task<IResult> GetAsync(
        Guid id, ClaimsPrincipal user, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] RequestAccess access,
        [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await (await access.PartyToAsync(db, CallerId(user), cancellationToken)).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is null ? ApiResults.NotFound() : TypedResults.Ok(ApiMapping.Request(request, clock.GetUtcNow()));
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest http,
        ClaimsPrincipal user,
        [FromServices] RequestWorkflow workflow,
        [FromServices] IDbContextFactory<ApplicationDbContext> contexts,
        [FromServices] RequestAccess access,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<NewRequestBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var parsed = ParseRequest(body.Type, body.Scope, body.Details, errors);
        if (parsed is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = CallerId(user);
        var details = body.Details;
        if (details?.RelatedRequestId is { } relatedId)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!await (await access.PartyToAsync(db, userId, cancellationToken)).AnyAsync(r => r.Id == relatedId, cancellationToken))
            {
                return ApiResults.Invalid("details.relatedRequestId", "Choose one of your own earlier requests.");
            }
        }

        // A guardian names the minor; the workflow checks the verified link before anything is saved.
        var newRequest = parsed(body.SubjectId ?? userId) with
        {
            RequesterId = userId,
            Relation = body.SubjectId is null || body.SubjectId == userId ? RequesterRelation.Self : RequesterRelation.Guardian,
        };
        // Verified by the session only when its identifiers are proven and the type needs no fresh step-up.
        var method = await http.HttpContext.RequestServices.GetRequiredService<Verification.RequestConfirmation>().MethodAtSubmissionAsync(newRequest, user, cancellationToken);
        var result = await workflow.SubmitAsync(newRequest, RequestActor.From(user), method, cancellationToken);
        if (result.Error is { } error)
        {
            return ApiResults.Failure(error, StatusCodes.Status400BadRequest);
        }

        var created = result.Request!;
        return TypedResults.Created(
            $"{ApiExtensions.Prefix}/requests/{created.Id}",
            new CreatedRequestResponse(created.Id, created.Reference, created.Status.ToString(), created.ReceivedAt, created.DueAt));
    }

    /// <summary>The type, scope and details of a new request from the app, or null with <paramref name="errors"/> saying what is wrong.</summary>
    internal static Func<string, NewRequest>? ParseRequest(string? typeText, RequestScopeBody? scope, RequestDetailsBody? details, Dictionary<string, string[]> errors)
    {
        var type = ApiMapping.ParseEnum<RequestType>(typeText, "type", "request type", errors, required: true);
        var deletion = ApiMapping.ParseEnum<DeletionScope>(scope?.Deletion, "scope.deletion", "deletion scope", errors);
        var dispute = ApiMapping.ParseEnum<DisputeSubject>(details?.DisputeSubject, "details.disputeSubject", "dispute subject", errors);
        var categories = new List<DataCategory>();
        foreach (var text in scope?.Categories ?? [])
        {
            if (ApiMapping.ParseEnum<DataCategory>(text, "scope.categories", "data category", errors, required: true) is { } category)
            {
                categories.Add(category);
            }
        }

        if (type is not { } requestType || errors.Count > 0)
        {
            return null;
        }

        return subjectId => new NewRequest
        {
            Type = requestType,
            SubjectId = subjectId,
            RequesterId = subjectId,
            Channel = RequestChannel.Api,
            DeletionScope = deletion,
            Categories = categories.Count > 0 ? categories : null,
            Description = details?.Description,
            CorrectionField = details?.CorrectionField,
            CorrectionCurrentValue = details?.CorrectionCurrentValue,
            CorrectionProposedValue = details?.CorrectionProposedValue,
            Corrections = details?.Corrections,
            DisputeSubject = dispute,
            RelatedRequestId = details?.RelatedRequestId,
        };
    }

    private static async Task<IResult> WithdrawAsync(
        Guid id, ClaimsPrincipal user, [FromServices] RequestWorkflow workflow, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await workflow.WithdrawAsync(id, RequestActor.From(user), cancellationToken);
        return result.Error is { } error
            ? ApiResults.Failure(error, StatusCodes.Status409Conflict)
            : TypedResults.Ok(ApiMapping.Request(result.Request!, clock.GetUtcNow()));
    }

    private static async Task<IResult> ListMessagesAsync(
        Guid id, ClaimsPrincipal user, [FromServices] IDbContextFactory<ApplicationDbContext> contexts, [FromServices] RequestAccess access, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await (await access.PartyToAsync(db, CallerId(user), cancellationToken)).AnyAsync(r => r.Id == id, cancellationToken))
        {
            return ApiResults.NotFound();
        }

        var messages = await db.RequestMessages.AsNoTracking()
            .Where(m => m.RequestId == id)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(messages.Select(ApiMapping.Message).ToList());
    }

    private static async Task<IResult> PostMessageAsync(
        Guid id,
        HttpRequest http,
        ClaimsPrincipal user,
        [FromServices] RequestWorkflow workflow,
        [FromServices] IDbContextFactory<ApplicationDbContext> contexts,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiResults.ReadJsonAsync<NewMessageBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body.Body))
        {
            return ApiResults.Invalid("body", "Write a message first.");
        }

        if (body.Body.Trim().Length > RequestMessage.BodyMaxLength)
        {
            return ApiResults.Invalid("body", "The message is too long: at most 4000 characters.");
        }

        // What is left to refuse is the request itself: not the caller's (404) or closed (409).
        var actor = RequestActor.From(user);
        var result = await workflow.PostMessageAsync(id, body.Body, actor, cancellationToken);
        if (result.Error is { } error)
        {
            return ApiResults.Failure(error, StatusCodes.Status409Conflict);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = await db.RequestMessages.AsNoTracking()
            .Where(m => m.RequestId == id && m.AuthorId == actor.UserId)
            .OrderByDescending(m => m.Id)
            .FirstAsync(cancellationToken);
        return TypedResults.Created($"{ApiExtensions.Prefix}/requests/{id}/messages", ApiMapping.Message(message));
    }

    private static string CallerId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller is not signed in.");
}

/// <summary>Where the next page of a list starts: opaque to the app, which only follows the Link header.</summary>
internal static class ListCursor
{
    public static string Write(long number) =>
        Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.ASCII.GetBytes($"n{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    public static long? Read(string cursor)
    {
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cursor));
            return text.StartsWith('n') && long.TryParse(text.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
