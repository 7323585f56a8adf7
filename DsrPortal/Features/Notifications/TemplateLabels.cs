namespace DsrPortal.Features.Notifications;

/// <summary>English keys of what is wrong with an edited email template.</summary>
public static class TemplateLabels
{
    public static string Problem(TemplateProblem problem) => problem switch
    {
        TemplateProblem.UnknownTemplate => "Choose a template from the list.",
        TemplateProblem.TooLong => "The template is too long: at most 8000 characters.",
        TemplateProblem.NoSubjectLine => "Start with the line \"Subject: ...\", then a blank line, then the message.",
        _ => "The template uses a placeholder this email does not have; use only those of the original text.",
    };
}
