using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using DsrPortal.Data;
using DsrPortal.Features.Fulfilment;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.DataSources.Http;

/// <summary>
/// A service that gives the portal no database: counted, exported, erased and corrected through its signed HTTP endpoints
/// (the README's "connector protocol"). Calls go through a resilient client (retries with backoff on transient failures);
/// a deletion the service runs as a job waits for its signed callback without holding a worker.
/// </summary>
internal sealed class HttpDataSource(
    HttpSourceOptions options, Func<HttpClient> clients, IDbContextFactory<ApplicationDbContext> contexts, Uri callbackBase, TimeProvider clock)
    : IPersonalDataSource
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Name => options.Name;

    public IReadOnlyList<string> Categories => [.. options.Categories.Select(c => c.Category)];

    public IReadOnlyList<CorrectableField> CorrectableFields =>
        [.. from c in options.Categories from column in c.Correctable select new CorrectableField($"{c.Category}.{column}", Name, c.Category, column)];

    public async Task<IReadOnlyDictionary<string, long>> CountAsync(SubjectKeys subject, CancellationToken cancellationToken)
    {
        var answer = await CallAsync<CountAnswer>("dsr/count", new { subject = Person(subject) }, cancellationToken);
        // Only the categories configured here: a service cannot add categories the portal does not describe.
        return Categories.ToDictionary(c => c, c => answer.Counts?.GetValueOrDefault(c) ?? 0);
    }

    public async Task ReadAsync(SubjectKeys subject, string category, IRecordSink sink, CancellationToken cancellationToken)
    {
        Known(category);
        string? cursor = null;
        var begun = false;
        do
        {
            var page = await CallAsync<ExportPage>("dsr/export", new { subject = Person(subject), category, cursor }, cancellationToken);
            if (!begun)
            {
                await sink.BeginAsync(page.Columns ?? []);
                begun = true;
            }

            foreach (var row in page.Rows ?? [])
            {
                await sink.WriteAsync([.. row.Select(Value)], null);
            }

            cursor = page.Next;
        }
        while (cursor is not null);
    }

    public async Task<IReadOnlyList<ErasureStep>> PlanErasureAsync(SubjectKeys subject, IReadOnlySet<string>? categories, CancellationToken cancellationToken)
    {
        var counts = await CountAsync(subject, cancellationToken);
        var key = JsonSerializer.Serialize(Person(subject), Json);
        return
        [
            .. from c in options.Categories
               where (categories is null || categories.Contains(c.Category)) && counts[c.Category] > 0
               select c.Erasure == HttpErasure.Retain
                   ? new ErasureStep(Name, c.Category, c.Category, ErasureAction.Retain, [], key, counts[c.Category], c.LegalBasis)
                   : new ErasureStep(Name, c.Category, c.Category, ErasureAction.DeleteRows, [], key, counts[c.Category], null, Operation: Guid.NewGuid().ToString("N")),
        ];
    }

    /// <summary>
    /// Sends the deletion under its operation id, once: a service that answers at once gives the rows; one that takes the
    /// job answers 202 and calls back, and until then the deletion waits at this step (checked again every CallbackPoll).
    /// </summary>
    public async Task<long> EraseAsync(ErasureStep step, CancellationToken cancellationToken)
    {
        if (step.Action == ErasureAction.Retain)
        {
            return 0;
        }

        var operationId = step.Operation ?? throw new InvalidOperationException("An HTTP deletion step needs its operation id.");
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.ConnectorOperations.SingleOrDefaultAsync(o => o.Id == operationId, cancellationToken) is { } known)
            {
                switch (known.State)
                {
                    case ConnectorOperationState.Done:
                        return known.Rows ?? 0;
                    case ConnectorOperationState.Sent when clock.GetUtcNow() - known.SentAt < options.CallbackTimeout:
                        throw new FulfilmentWaitException(options.CallbackPoll, Name);
                    default:
                        // Failed, or no callback in time: forgotten, so the next attempt sends it again under the same id.
                        db.ConnectorOperations.Remove(known);
                        await db.SaveChangesAsync(cancellationToken);
                        throw new ConnectorException($"The service {Name} did not finish a deletion.");
                }
            }
        }

        var person = JsonSerializer.Deserialize<Subject>(step.Key, Json)!;
        var callback = new Uri(callbackBase, $"api/v1/connectors/{Uri.EscapeDataString(Name)}/callback");
        using var response = await SendAsync("dsr/erase", new { subject = person, category = step.Category, operation = operationId, callback }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.ConnectorOperations.Add(ConnectorOperation.Sent(operationId, Name, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            throw new FulfilmentWaitException(options.CallbackPoll, Name);
        }

        return (await ReadAsync<EraseAnswer>(response, cancellationToken)).Rows;
    }

    public async Task<string?> ReadFieldAsync(SubjectKeys subject, string field, CancellationToken cancellationToken) =>
        (await CallAsync<FieldAnswer>("dsr/field", new { subject = Person(subject), field = Field(field) }, cancellationToken)).Value;

    public async Task<bool> CorrectAsync(SubjectKeys subject, string field, string value, CancellationToken cancellationToken) =>
        (await CallAsync<CorrectAnswer>("dsr/correct", new { subject = Person(subject), field = Field(field), value }, cancellationToken)).Applied;

    private async Task<T> CallAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(path, body, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, object body, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(ConnectorSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(ConnectorSignature.SignatureHeader, ConnectorSignature.Sign(options.Secret, timestamp, bytes));
        var response = await clients().SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The status only: the service's answer may quote the person's data.
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new ConnectorException($"The service {Name} answered {status} to {path}.");
        }

        return response;
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
        ?? throw new ConnectorException($"The service {Name} sent an empty answer.");

    private static Subject Person(SubjectKeys subject) => new(subject.UserId, subject.Email, subject.Phone);

    private void Known(string category)
    {
        if (!Categories.Contains(category))
        {
            throw new ArgumentException($"Source {Name} holds no category {category}.", nameof(category));
        }
    }

    private string Field(string key) =>
        CorrectableFields.SingleOrDefault(f => f.Key == key)?.Column ?? throw new ArgumentException($"{key} is not a correctable field of source {Name}.", nameof(key));

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => value.GetRawText(),
    };

    private sealed record Subject(string UserId, string? Email, string? Phone);

    private sealed record CountAnswer(Dictionary<string, long>? Counts);

    private sealed record ExportPage(List<string>? Columns, List<List<JsonElement>>? Rows, string? Next);

    private sealed record EraseAnswer(long Rows);

    private sealed record FieldAnswer(string? Value);

    private sealed record CorrectAnswer(bool Applied);
}

/// <summary>A service broke the protocol or failed; the message names the source and the status, never data.</summary>
public sealed class ConnectorException(string message) : Exception(message);
