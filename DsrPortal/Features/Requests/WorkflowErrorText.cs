using DsrPortal.Localization;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.Requests;

public static class WorkflowErrorText
{
    /// <summary>The error in the reader's language, its arguments (status labels and the like) included.</summary>
    public static string Describe(this IStringLocalizer<SharedResource> localizer, WorkflowError error) =>
        localizer[error.Key, [.. error.Arguments.Select(a => a is string text ? localizer[text].Value : a)]].Value;
}
