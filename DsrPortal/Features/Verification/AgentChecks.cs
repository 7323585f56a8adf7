namespace DsrPortal.Features.Verification;

/// <summary>What an agent checked before logging a request received by phone or email.</summary>
[Flags]
public enum AgentCheck
{
    None = 0,
    /// <summary>The caller gave details of the account only its holder would know.</summary>
    KnowsAccountDetails = 1,
    /// <summary>The agent called back on the account's proven mobile number and reached the caller.</summary>
    CalledBackOnProvenNumber = 2,
    /// <summary>The request came from the account's confirmed email address.</summary>
    FromConfirmedEmail = 4,
    /// <summary>The caller read back a code the portal sent to the account's proven number (checked by the portal, not ticked).</summary>
    CodeReadBack = 8,
}

/// <summary>
/// Which checks are enough, and how they are recorded. A code the portal sent to the proven number and the
/// caller read back settles any request. Otherwise an export or a deletion (the step-up types) needs a call
/// back on the proven number together with account details only the holder knows; a correction or a dispute
/// needs one check on a proven channel. What falls short waits in AwaitingVerification and the subject is
/// asked to confirm online, as for any request.
/// </summary>
public static class AgentChecks
{
    public const string Prefix = "Checked by the agent: ";

    public static readonly AgentCheck[] All =
        [AgentCheck.KnowsAccountDetails, AgentCheck.CalledBackOnProvenNumber, AgentCheck.FromConfirmedEmail, AgentCheck.CodeReadBack];

    public static bool Suffice(AgentCheck checks, bool stepUp) =>
        checks.HasFlag(AgentCheck.CodeReadBack)
        || (stepUp
            ? checks.HasFlag(AgentCheck.CalledBackOnProvenNumber) && checks.HasFlag(AgentCheck.KnowsAccountDetails)
            : checks.HasFlag(AgentCheck.CalledBackOnProvenNumber) || checks.HasFlag(AgentCheck.FromConfirmedEmail));

    /// <summary>The method recorded on the request: the prefix and each check's label, in English (pages translate each part).</summary>
    public static string Method(AgentCheck checks) =>
        Prefix + string.Join("; ", All.Where(c => checks.HasFlag(c)).Select(Label));

    /// <summary>The audit trail's codes for the checks: names, never what the caller said.</summary>
    public static string Codes(AgentCheck checks) => string.Join(",", All.Where(c => checks.HasFlag(c)));

    public static string Label(AgentCheck check) => check switch
    {
        AgentCheck.KnowsAccountDetails => VerificationLabels.CheckKnowsAccountDetails,
        AgentCheck.CalledBackOnProvenNumber => VerificationLabels.CheckCalledBack,
        AgentCheck.FromConfirmedEmail => VerificationLabels.CheckFromConfirmedEmail,
        AgentCheck.CodeReadBack => VerificationLabels.CheckCodeReadBack,
        _ => throw new ArgumentOutOfRangeException(nameof(check)),
    };

    /// <summary>A recorded method in the reader's language: a fixed label, or the agent's checks one by one.</summary>
    public static string Describe(string method, Microsoft.Extensions.Localization.IStringLocalizer l) =>
        method.StartsWith(Prefix, StringComparison.Ordinal)
            ? $"{l["Checked by the agent:"]} {string.Join("; ", method[Prefix.Length..].Split("; ").Select(part => l[part].Value))}"
            : l[method];
}
