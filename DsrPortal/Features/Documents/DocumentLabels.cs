namespace DsrPortal.Features.Documents;

/// <summary>English keys of why an uploaded document is refused; the localizer translates them.</summary>
public static class DocumentLabels
{
    public static string Problem(DocumentProblem problem) => problem switch
    {
        DocumentProblem.Empty => "The file is empty. Choose the scanned or photographed document.",
        DocumentProblem.TooLarge => "The file is larger than 5 MB. Scan it at a lower resolution or save it as a PDF.",
        DocumentProblem.Malformed => "The file looks like a PDF, JPEG or PNG but is damaged or carries scripts or other content. Save or scan the document again and upload the new file.",
        _ => "Only PDF, JPEG or PNG documents are accepted, and this file is none of them, whatever its name says.",
    };
}
