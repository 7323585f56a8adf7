namespace DsrPortal.Features.Documents;

/// <summary>English keys of why an uploaded document is refused; the localizer translates them.</summary>
public static class DocumentLabels
{
    public static string Problem(DocumentProblem problem) => problem switch
    {
        DocumentProblem.Empty => "The file is empty. Choose the scanned or photographed document.",
        DocumentProblem.TooLarge => "The file is larger than 5 MB. Scan it at a lower resolution or save it as a PDF.",
        _ => "Only PDF, JPEG or PNG documents are accepted, and this file is none of them, whatever its name says.",
    };
}
