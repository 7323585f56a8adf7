using System.Globalization;

namespace DsrPortal.Features.Requests;

/// <summary>
/// What counts as text in what people type: text made only of spaces and invisible characters (zero-width
/// spaces, byte-order marks, direction marks) is empty, and control characters (NUL and the like, but not
/// line breaks and tabs) are refused rather than stored, shown to an agent or written into an export.
/// </summary>
public static class PortalText
{
    public static string ControlCharacters => RequestLabels.ControlCharacters;

    public static bool IsBlank([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? text) =>
        string.IsNullOrEmpty(text) || text.All(c => char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format);

    public static bool HasControlCharacters(string? text) =>
        text is not null && text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    public static bool IsClean(params string?[] texts) => !texts.Any(HasControlCharacters);
}
