namespace DsrPortal.Features.Accounts;

/// <summary>
/// The portal's roles. A guardian is not a role: it is a verified relationship to a minor.
/// </summary>
public static class PortalRoles
{
    public const string Subject = "Subject";
    public const string Agent = "Agent";
    public const string Supervisor = "Supervisor";

    /// <summary>Comma-separated, for <c>[Authorize(Roles = ...)]</c>: supervisors can do all an agent can.</summary>
    public const string Staff = Agent + "," + Supervisor;

    public static readonly IReadOnlyList<string> StaffRoles = [Agent, Supervisor];

    public static readonly IReadOnlyList<string> All = [Subject, Agent, Supervisor];
}
