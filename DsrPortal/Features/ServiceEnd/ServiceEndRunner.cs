using System.Globalization;
using System.Text.Json;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Audit;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Deletion;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Requests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Features.ServiceEnd;

/// <summary>
/// Carries an end-of-service program through its stages, one batch at a time, under a lease on the program row:
/// a crash or a second instance resumes from the saved cursor, never from the start and never twice at once.
/// Accounts are erased by deletion requests the fulfilment worker runs (checkpointed, retried, audited); people the
/// company's systems hold without an account are erased by the same connectors' plans, source by source.
/// </summary>
internal sealed class ServiceEndRunner(
    IDbContextFactory<ApplicationDbContext> contexts,
    RequestUnitOfWork work,
    PersonalData data,
    AuditWriter audit,
    IDataProtectionProvider protection,
    TimeProvider clock,
    ILogger<ServiceEndRunner> logger)
{
    private readonly IDataProtector protector = protection.CreateProtector("DsrPortal.ServiceEnd.SweepPlan.v1");
    public const int EnrolBatch = 100;
    public const int SweepBatch = 50;
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(2);
    private readonly string owner = FulfilmentLeases.NewOwner();

    /// <summary>Runs batches until there is nothing to do now or <paramref name="budget"/> is spent; returns how many ran.</summary>
    public async Task<int> RunAsync(TimeSpan budget, CancellationToken cancellationToken = default)
    {
        var started = clock.GetTimestamp();
        var batches = 0;
        while (clock.GetElapsedTime(started) < budget && await RunOnceAsync(cancellationToken))
        {
            batches++;
        }

        return batches;
    }

    /// <summary>One step of the program in force: false when there is nothing to do now.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.ServiceEndPrograms
            .Where(p => p.State == ServiceEndState.Enrolling || p.State == ServiceEndState.Erasing || p.State == ServiceEndState.Sweeping
                || (p.State == ServiceEndState.Announced && p.EndsAt <= now))
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            return false;
        }

        var leased = await db.ServiceEndPrograms
            .Where(p => p.Id == id && (p.LeaseUntil == null || p.LeaseUntil < now || p.LeaseOwner == owner))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseOwner, owner).SetProperty(p => p.LeaseUntil, now + LeaseFor), cancellationToken);
        if (leased == 0)
        {
            return false;
        }

        var program = await db.ServiceEndPrograms.SingleAsync(p => p.Id == id, cancellationToken);
        try
        {
            return program.State switch
            {
                ServiceEndState.Announced => await MoveAsync(db, program, ServiceEndState.Enrolling, cancellationToken),
                ServiceEndState.Enrolling => await EnrolAsync(db, program, cancellationToken),
                ServiceEndState.Erasing => await AwaitErasuresAsync(db, program, cancellationToken),
                _ => await SweepAsync(db, program, cancellationToken),
            };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The type only: a database's message may repeat a person's identifier. The next round tries again.
            logger.LogWarning("End-of-service program {ProgramId} stopped in {State} ({ErrorType}); the next round resumes", program.Id, program.State, exception.GetType().Name);
            db.ChangeTracker.Clear();
            await db.ServiceEndPrograms.Where(p => p.Id == program.Id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.LastError, exception.GetType().Name)
                .SetProperty(p => p.LeaseOwner, (string?)null)
                .SetProperty(p => p.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            return false;
        }
    }

    private async Task<bool> MoveAsync(ApplicationDbContext db, ServiceEndProgram program, ServiceEndState to, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        program.State = to;
        program.LastError = null;
        await audit.AppendAsync(db, AuditActor.System, AuditActions.ServiceEndStage, details: new Dictionary<string, string?> { ["stage"] = to.ToString() }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The next batch of accounts, each given a deletion of the whole account, approved and scheduled at once (the
    /// date was announced; there is no cooling-off), with the cursor saved in the same transaction.
    /// </summary>
    private async Task<bool> EnrolAsync(ApplicationDbContext db, ServiceEndProgram program, CancellationToken cancellationToken)
    {
        var after = program.EnrolCursor;
        var accounts = await SubjectAccounts.Active(db).AsNoTracking()
            .Where(u => after == null || string.Compare(u.Id, after) > 0)
            .OrderBy(u => u.Id).Select(u => u.Id).Take(EnrolBatch).ToListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return await MoveAsync(db, program, ServiceEndState.Erasing, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var system = RequestActor.System;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var userId in accounts)
        {
            var request = work.Receive(new NewRequest
            {
                Type = RequestType.Deletion,
                DeletionScope = DeletionScope.WholeAccount,
                SubjectId = userId,
                RequesterId = program.StartedBy,
                Relation = RequesterRelation.AgentOnBehalf,
                Description = "End of the service (privacy policy clause 2.2): the whole account is deleted.",
            }, now);
            db.Requests.Add(request);
            await work.AuditReceivedAsync(db, system, request, new Dictionary<string, string?> { ["serviceEnd"] = program.Id.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
            foreach (var move in new Func<RequestStatus>[]
            {
                () => request.Verify("service-end", now), () => request.Claim(program.StartedBy, now), () => request.Approve(now), () => request.StartFulfilment(now),
            })
            {
                var from = move();
                await work.StatusChangedAsync(db, system, request, from, cancellationToken: cancellationToken);
            }

            db.FulfilmentJobs.Add(FulfilmentJob.Schedule(request.Id, FulfilmentKind.Erasure, now, now));
            await work.AuditAsync(db, system, AuditActions.FulfilmentScheduled, request,
                new Dictionary<string, string?> { ["kind"] = FulfilmentKind.Erasure.ToString(), ["notBefore"] = work.Date(now) }, cancellationToken);
            db.ServiceEndEnrolments.Add(new ServiceEndEnrolment { ProgramId = program.Id, UserId = userId, RequestId = request.Id });
        }

        program.EnrolCursor = accounts[^1];
        program.Enrolled += accounts.Count;
        program.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The sweep starts once every account's deletion is done; a failed one waits for a supervisor's retry.</summary>
    private async Task<bool> AwaitErasuresAsync(ApplicationDbContext db, ServiceEndProgram program, CancellationToken cancellationToken)
    {
        var open = await (from e in db.ServiceEndEnrolments
                          join j in db.FulfilmentJobs on e.RequestId equals j.RequestId
                          where e.ProgramId == program.Id && j.State != FulfilmentState.Completed && j.State != FulfilmentState.Cancelled
                          select j.Id).AnyAsync(cancellationToken);
        return !open && await MoveAsync(db, program, ServiceEndState.Sweeping, cancellationToken);
    }

    /// <summary>
    /// The next people of the current source who have no account (or whose rows outlived it), erased by the
    /// source's own plan. The batch's plan is saved (encrypted) with the cursor before any step runs, then run; a
    /// crash in between replays the saved steps, each idempotent, so nobody is skipped and nothing counted twice.
    /// </summary>
    private async Task<bool> SweepAsync(ApplicationDbContext db, ServiceEndProgram program, CancellationToken cancellationToken)
    {
        if (program.ProtectedSweepPlan is { } stored)
        {
            var plan = JsonSerializer.Deserialize<List<ErasureStep>>(protector.Unprotect(stored))!;
            foreach (var step in plan.Where(s => s.Action != ErasureAction.Retain))
            {
                await data.Sources.Single(s => s.Name == step.Source).EraseAsync(step, cancellationToken);
            }

            await using var done = await db.Database.BeginTransactionAsync(cancellationToken);
            program.ProtectedSweepPlan = null;
            program.LastError = null;
            await audit.AppendAsync(db, AuditActor.System, AuditActions.ServiceEndSwept, details: new Dictionary<string, string?>
            {
                ["source"] = program.SweepSource,
                ["steps"] = plan.Count.ToString(CultureInfo.InvariantCulture),
                ["rows"] = plan.Where(s => s.Action != ErasureAction.Retain).Sum(s => s.Rows).ToString(CultureInfo.InvariantCulture),
            }, cancellationToken: cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await done.CommitAsync(cancellationToken);
            return true;
        }

        var sources = data.Sources.Select(s => s.Name).ToList();
        var source = data.Sources.FirstOrDefault(s => s.Name == (program.SweepSource ?? sources[0]));
        if (source is null)
        {
            return await FinishAsync(db, program, cancellationToken);
        }

        var people = await source.PeopleAfterAsync(program.SweepCursor, SweepBatch, cancellationToken);
        if (people.Count == 0)
        {
            var next = sources.IndexOf(source.Name) + 1;
            if (next >= sources.Count)
            {
                return await FinishAsync(db, program, cancellationToken);
            }

            program.SweepSource = sources[next];
            program.SweepCursor = null;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        var steps = new List<ErasureStep>();
        var tally = ErasureTally.Parse(program.SweepTally);
        foreach (var person in people)
        {
            foreach (var step in await source.PlanErasureAsync(person, null, cancellationToken))
            {
                steps.Add(step);
                tally.Add(step.Category, step.Action, step.Rows);
            }
        }

        program.ProtectedSweepPlan = protector.Protect(JsonSerializer.Serialize(steps));
        program.SweepTally = tally.ToJson();
        program.SweepSource = source.Name;
        program.SweepCursor = people[^1].Phone ?? people[^1].Email;
        program.Swept += people.Count;
        program.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The report: accounts erased, people without an account erased, and rows per category and action, from the audit trail and the sweep.</summary>
    private async Task<bool> FinishAsync(ApplicationDbContext db, ServiceEndProgram program, CancellationToken cancellationToken)
    {
        var requests = await (from e in db.ServiceEndEnrolments
                              join j in db.FulfilmentJobs on e.RequestId equals j.RequestId
                              where e.ProgramId == program.Id
                              select new { e.RequestId, j.State }).ToListAsync(cancellationToken);
        var rows = ErasureTally.Parse(program.SweepTally);
        foreach (var request in requests.Where(r => r.State == FulfilmentState.Completed))
        {
            foreach (var outcome in await ErasureOutcome.ReadAsync(db, request.RequestId, cancellationToken))
            {
                rows.Add(outcome.Category, outcome.Action, outcome.Rows);
            }
        }

        var now = clock.GetUtcNow();
        var report = new ServiceEndReport(program.EndsAt, now, requests.Count(r => r.State == FulfilmentState.Completed),
            requests.Count(r => r.State != FulfilmentState.Completed), program.Swept, rows);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        program.State = ServiceEndState.Finished;
        program.FinishedAt = now;
        program.Report = JsonSerializer.Serialize(report);
        await audit.AppendAsync(db, AuditActor.System, AuditActions.ServiceEndFinished, details: new Dictionary<string, string?>
        {
            ["accounts"] = report.AccountsErased.ToString(CultureInfo.InvariantCulture),
            ["people"] = report.PeopleWithoutAccountErased.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken: cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
