using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.Export;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.Demo;

/// <summary>
/// A few requests in different states, some received weeks ago, so the demo queue shows what a working
/// day looks like: one overdue, one waiting for the requester, one done. Created once, through the
/// same workflow as real requests, on clocks set back to when they "arrived".
/// </summary>
internal sealed class DemoRequestSeeder(IServiceProvider services, IDbContextFactory<ApplicationDbContext> contexts, TimeProvider clock)
{
    public async Task<int> SeedAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Requests.AnyAsync(cancellationToken))
            {
                return 0;
            }
        }

        var subject = await ActorAsync("subject@demo.local", PortalRoles.Subject, cancellationToken);
        var guardian = await ActorAsync("guardian@demo.local", PortalRoles.Subject, cancellationToken);
        var minor = await ActorAsync("minor@demo.local", PortalRoles.Subject, cancellationToken);
        var agent = await ActorAsync("agent@demo.local", PortalRoles.Agent, cancellationToken);

        var overdue = WorkflowAt(TimeSpan.FromDays(-24));
        await overdue.SubmitAsync(new NewRequest
        {
            Type = RequestType.Correction, SubjectId = guardian.UserId, RequesterId = guardian.UserId,
            CorrectionField = "Constellation", CorrectionCurrentValue = "Taurus", CorrectionProposedValue = "Gemini",
            Description = "I entered the wrong sign at registration.",
        }, guardian, Verification.VerificationLabels.Session, cancellationToken);

        var export = (await WorkflowAt(TimeSpan.FromDays(-10)).SubmitAsync(new NewRequest { Type = RequestType.Export, SubjectId = subject.UserId, RequesterId = subject.UserId },
            subject, Verification.VerificationLabels.Session, cancellationToken)).Request!;
        // Approved two days ago and built then: the demo subject has a package to download for five more days.
        var done = WorkflowAt(TimeSpan.FromDays(-2));
        await done.ClaimAsync(export.Id, agent, cancellationToken);
        await done.ApproveAsync(export.Id, agent, null, cancellationToken);
        await FulfilmentAt(TimeSpan.FromDays(-2)).RunDueAsync(cancellationToken);

        var waiting = WorkflowAt(TimeSpan.FromDays(-3));
        var deletion = (await waiting.SubmitAsync(new NewRequest
        {
            Type = RequestType.Deletion, SubjectId = subject.UserId, RequesterId = subject.UserId,
            DeletionScope = DeletionScope.SelectedCategories, Categories = [DataCategory.Photos, DataCategory.SearchRecords],
        }, subject, Verification.VerificationLabels.Session, cancellationToken)).Request!;
        await waiting.ClaimAsync(deletion.Id, agent, cancellationToken);
        await waiting.AskRequesterAsync(deletion.Id, "Should we also delete the comments under your photos?", agent, null, cancellationToken);

        var fresh = WorkflowAt(TimeSpan.FromHours(-2));
        await fresh.SubmitAsync(new NewRequest
        {
            Type = RequestType.Dispute, SubjectId = minor.UserId, RequesterId = minor.UserId,
            DisputeSubject = DisputeSubject.Advertising, Description = "Please stop showing me ads based on what I read.",
        }, minor, Verification.VerificationLabels.Session, cancellationToken);
        return 4;
    }

    /// <summary>The real workflow, but on a clock set back, so received and due dates look lived-in.</summary>
    private RequestWorkflow WorkflowAt(TimeSpan offset) => ActivatorUtilities.CreateInstance<RequestWorkflow>(services, WorkAt(offset));

    private FulfilmentRunner FulfilmentAt(TimeSpan offset)
    {
        var past = new ShiftedTimeProvider(clock, offset);
        var audit = ActivatorUtilities.CreateInstance<AuditWriter>(services, past);
        var completion = new FulfilmentCompletion(WorkAt(offset));
        return ActivatorUtilities.CreateInstance<FulfilmentRunner>(services, past, audit,
            ActivatorUtilities.CreateInstance<ExportFulfilment>(services, past, completion, audit),
            ActivatorUtilities.CreateInstance<ErasureFulfilment>(services, completion, audit));
    }

    /// <summary>The real unit of work, on a clock set back, so received and due dates look lived-in.</summary>
    private RequestUnitOfWork WorkAt(TimeSpan offset)
    {
        var past = new ShiftedTimeProvider(clock, offset);
        return ActivatorUtilities.CreateInstance<RequestUnitOfWork>(services, past,
            ActivatorUtilities.CreateInstance<AuditWriter>(services, past), ActivatorUtilities.CreateInstance<Outbox>(services, past));
    }

    private async Task<RequestActor> ActorAsync(string email, string role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(cancellationToken);
        return new RequestActor(id, role);
    }

    private sealed class ShiftedTimeProvider(TimeProvider inner, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
    }
}
