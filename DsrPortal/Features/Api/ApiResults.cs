using System.Globalization;
using System.Text.Json;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Api;

/// <summary>The API's answers when something is wrong: RFC 9457 problem details with a sentence a person can read.</summary>
internal static class ApiResults
{
    public const string NotFoundDetail = "This request does not exist, or it is not yours.";

    public static IResult Problem(int statusCode, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: statusCode);

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound() => Problem(StatusCodes.Status404NotFound, NotFoundDetail);

    /// <summary>A use case that refused: 404 when the request is not the caller's, otherwise the rule's own message.</summary>
    public static IResult Failure(WorkflowError error, int ruleStatusCode) => error.Kind switch
    {
        WorkflowErrorKind.NotFound => NotFound(),
        WorkflowErrorKind.Conflict => Problem(StatusCodes.Status409Conflict, Message(error)),
        _ => Problem(ruleStatusCode, Message(error)),
    };

    /// <summary>The English text of a rule: its key with the arguments filled in.</summary>
    public static string Message(WorkflowError error) =>
        string.Format(CultureInfo.InvariantCulture, error.Key, error.Arguments);

    /// <summary>
    /// Reads a JSON body. On failure <c>Problem</c> is the 4xx answer to return (and <c>Body</c> must not be
    /// used); a body that is missing, not JSON, or of the wrong shape is told apart in words.
    /// </summary>
    public static async Task<(T Body, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null!, Problem(StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON, with the header Content-Type: application/json."));
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(cancellationToken);
            if (body is null)
            {
                return (null!, Problem(StatusCodes.Status400BadRequest, "The request body is empty: send a JSON object."));
            }

            return (body, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" (at {e.Path})";
            return (null!, Problem(StatusCodes.Status400BadRequest, $"The request body is not valid JSON or does not have the expected shape{where}."));
        }
    }

    /// <summary>
    /// The answers of an endpoint that sends a one-time code: accepted, an invalid address or number, refused by
    /// the bot check (when it has one), too many codes (with Retry-After), or the sender unreachable.
    /// </summary>
    public static RouteHandlerBuilder ProducesCodeSent(this RouteHandlerBuilder endpoint, bool botChecked = true)
    {
        endpoint.Produces<CodeSentResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        if (botChecked)
        {
            endpoint.ProducesProblem(StatusCodes.Status403Forbidden);
        }

        return endpoint.ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
