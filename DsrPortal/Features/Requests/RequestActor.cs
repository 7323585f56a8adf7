using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;

namespace DsrPortal.Features.Requests;

/// <summary>Who is acting on a request: an account id and the role it acts in.</summary>
public sealed record RequestActor(string UserId, string Role)
{
    public bool IsStaff => Role is PortalRoles.Agent or PortalRoles.Supervisor;

    public bool IsSupervisor => Role == PortalRoles.Supervisor;

    /// <summary>The portal itself, finishing automated work (an export, a deletion).</summary>
    public bool IsSystem => Role == AuditRoles.System;

    public static RequestActor System { get; } = new(AuditActor.System.Id, AuditActor.System.Role);

    public AuditActor ForAudit => new(UserId, Role);

    /// <summary>The actor for a signed-in principal: the strongest role it holds.</summary>
    public static RequestActor From(System.Security.Claims.ClaimsPrincipal user)
    {
        var id = user.FindFirst(global::System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
            ?? throw new InvalidOperationException("The user is not signed in.");
        var role = user.IsInRole(PortalRoles.Supervisor) ? PortalRoles.Supervisor
            : user.IsInRole(PortalRoles.Agent) ? PortalRoles.Agent
            : PortalRoles.Subject;
        return new RequestActor(id, role);
    }
}

public enum WorkflowErrorKind
{
    /// <summary>No such request, or not one this actor may see: the two look the same from outside.</summary>
    NotFound = 1,
    /// <summary>The lifecycle or a business rule refused the move; nothing changed.</summary>
    Rule = 2,
    /// <summary>Someone else changed the request since the actor loaded it; nothing changed.</summary>
    Conflict = 3,
}

public sealed record WorkflowError(WorkflowErrorKind Kind, string Key, object[] Arguments);

public sealed record WorkflowResult(DataSubjectRequest? Request, WorkflowError? Error)
{
    public bool Succeeded => Error is null;

    public static WorkflowResult NotFound() =>
        new(null, new WorkflowError(WorkflowErrorKind.NotFound, "This request does not exist, or it is not yours.", []));

    public static WorkflowResult Conflict() =>
        new(null, new WorkflowError(WorkflowErrorKind.Conflict, "Someone else changed this request a moment ago. It has been reloaded; check it and try again.", []));

    public static WorkflowResult Rule(RequestRuleException e) => new(null, new WorkflowError(WorkflowErrorKind.Rule, e.Key, e.Arguments));
}
