namespace DsrPortal.Features.Documents;

/// <summary>A proof document shown to the staff member checking it: inline, never cached, never sniffed; 404 when there is none.</summary>
internal static class DocumentResults
{
    public static IResult Inline(HttpContext context, (byte[] Content, string ContentType)? document)
    {
        if (document is not { } found)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.File(found.Content, found.ContentType);
    }
}
