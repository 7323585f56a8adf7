namespace DsrPortal.Features.Agents;

/// <summary>English keys for what authorized-agent pages and emails show; the pages and templates translate them.</summary>
public static class AgentLabels
{
    public static string Kind(AgentKind kind) => kind switch
    {
        AgentKind.FamilyMember => "A family member",
        AgentKind.Lawyer => "A lawyer",
        AgentKind.AgentService => "An agent service",
        _ => "Someone else they authorized",
    };

    public static string Consent(AgentConsent consent) => consent switch
    {
        AgentConsent.Confirmed => "The person confirmed the agent acts for them",
        AgentConsent.Denied => "The person said they did not authorize the agent",
        _ => "Waiting for the person to confirm",
    };
}
