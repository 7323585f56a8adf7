namespace DsrPortal.Features.Guardians;

public enum DocumentProblem
{
    Empty = 1,
    TooLarge = 2,
    NotPdfJpegOrPng = 3,
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

    public static string Label(string contentType) => contentType switch
    {
        "application/pdf" => "PDF",
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        _ => contentType,
    };
}
