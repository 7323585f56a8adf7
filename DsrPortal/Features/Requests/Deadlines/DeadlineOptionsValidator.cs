using Microsoft.Extensions.Options;

namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>Refuses, at start-up and in one line each, a profile, time zone or calendar file the portal cannot count on.</summary>
internal sealed class DeadlineOptionsValidator : IValidateOptions<DeadlineOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadlineOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Profile))
        {
            failures.Add("Deadlines:Profile must be CN, GDPR or CCPA.");
        }

        if (!IsZone(options.TimeZone))
        {
            failures.Add($"Deadlines:TimeZone '{options.TimeZone}' is not an IANA time zone such as Asia/Shanghai.");
        }

        foreach (var (key, profile) in options.Profiles)
        {
            if (!Enum.GetNames<DeadlineProfile>().Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"Deadlines:Profiles:{key} is not a deadline profile; use CN, GDPR or CCPA.");
            }
            else if (profile.TimeZone is { Length: > 0 } zone && !IsZone(zone))
            {
                failures.Add($"Deadlines:Profiles:{key}:TimeZone '{zone}' is not an IANA time zone such as Europe/Brussels.");
            }
        }

        try
        {
            HolidayCalendarFile.Load(options.ResolvedCalendarFile);
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A relative file is looked for in the operator's assets folder, then in the copy shipped next to the binaries.</summary>
    public static string ResolveCalendarFile(string? configured, string assetsFolder)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return "";
        }

        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        var candidates = new[]
        {
            Path.GetFullPath(Path.Combine(assetsFolder, configured)),
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", configured)),
        };
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    private static bool IsZone(string? id) => id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
