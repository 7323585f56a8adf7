using Microsoft.AspNetCore.Components.Forms;

namespace DsrPortal.Features.Documents;

public enum DocumentProblem
{
    Empty = 1,
    TooLarge = 2,
    NotPdfJpegOrPng = 3,
    /// <summary>It starts like a PDF, JPEG or PNG but does not parse as one, or carries script or data after its end.</summary>
    Malformed = 4,
}

/// <summary>
/// What an uploaded proof document really is, read from its first bytes: a PDF, JPEG or PNG, whatever
/// its name says. Anything else, an empty file or one over the limit is refused with a reason.
/// </summary>
public static class DocumentCheck
{
    public const long MaxBytes = 5 * 1024 * 1024;

    private static readonly (string ContentType, byte[] Signature)[] Signatures =
    [
        ("application/pdf", "%PDF-"u8.ToArray()),
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    ];

    /// <returns>The detected content type, or null with <paramref name="problem"/> saying why the file is refused.</returns>
    public static string? Detect(ReadOnlySpan<byte> content, out DocumentProblem? problem)
    {
        problem = null;
        if (content.Length == 0)
        {
            problem = DocumentProblem.Empty;
            return null;
        }

        if (content.Length > MaxBytes)
        {
            problem = DocumentProblem.TooLarge;
            return null;
        }

        foreach (var (contentType, signature) in Signatures)
        {
            if (content.StartsWith(signature))
            {
                return contentType;
            }
        }

        problem = DocumentProblem.NotPdfJpegOrPng;
        return null;
    }

    /// <summary>
    /// The document as it will be stored: recognised by content, parsed, and for images rebuilt without
    /// hidden text, metadata or anything appended (<see cref="DocumentStructure"/>); null with a problem otherwise.
    /// </summary>
    public static byte[]? Clean(byte[] content, out string? contentType, out DocumentProblem? problem)
    {
        contentType = Detect(content, out problem);
        if (contentType is null)
        {
            return null;
        }

        var clean = DocumentStructure.Clean(content, contentType);
        if (clean is null)
        {
            problem = DocumentProblem.Malformed;
            contentType = null;
        }

        return clean;
    }

    /// <summary>Reads an upload from the browser (never more than the limit) and checks it.</summary>
    /// <returns>The content, or null with <paramref name="problem"/> saying why it is refused.</returns>
    public static async Task<(byte[]? Content, DocumentProblem? Problem)> ReadAsync(IBrowserFile file)
    {
        try
        {
            await using var stream = file.OpenReadStream(MaxBytes);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            var content = buffer.ToArray();
            var clean = Clean(content, out _, out var problem);
            return clean is null ? (null, problem) : (clean, null);
        }
        catch (IOException)
        {
            // OpenReadStream refuses anything over the limit.
            return (null, DocumentProblem.TooLarge);
        }
    }

    public static string Label(string contentType) => contentType switch
    {
        "application/pdf" => "PDF",
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        _ => contentType,
    };
}
