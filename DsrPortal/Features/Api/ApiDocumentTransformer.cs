using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DsrPortal.Features.Api;

/// <summary>Names the API and documents the bearer token every operation but sign-in requires.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "DSR Portal API";
        document.Info.Description = "Data subject requests for the mobile app. Sign in with POST /api/v1/auth/login, "
            + "then send the accessToken as 'Authorization: Bearer <token>'. Errors are RFC 9457 problem details.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken returned by POST /api/v1/auth/login.",
        };

        foreach (var (path, item) in document.Paths)
        {
            if (path.StartsWith(ApiExtensions.Prefix + "/auth", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(SchemeName, document)] = [],
                });
            }
        }

        return Task.CompletedTask;
    }
}
