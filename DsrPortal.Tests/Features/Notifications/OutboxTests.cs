using System.Net;
using System.Net.Sockets;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DsrPortal.Tests.Features.Notifications;

/// <summary>The transactional outbox delivering over real SMTP, failing, retrying and racing.</summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));
    private SmtpListener smtp = null!;
    private PortalFactory factory = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpListener.StartAsync();
        factory = Create(smtp.Port);
        _ = factory.Server;
    }

    private PortalFactory Create(int port) => new(new Dictionary<string, string?>
    {
        ["Outbox:WorkerEnabled"] = "false",
        ["Outbox:MaxAttempts"] = "3",
        ["Email:DeliveryMode"] = "Smtp",
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = port.ToString(),
        ["Email:Security"] = "None",
        ["Email:PortalUrl"] = "https://privacy.demo-social.example",
    }, clock);

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await smtp.DisposeAsync();
    }

    private async Task<DataSubjectRequest> SubmitAsync(PortalFactory portal)
    {
        var subject = await portal.ActorAsync("subject@demo.local");
        return (await portal.Services.GetRequiredService<RequestWorkflow>().SubmitAsync(subject.Export(), subject, "Signed-in session")).Request!;
    }

    [Fact]
    public async Task The_receipt_email_reaches_the_subject_with_reference_deadline_and_link()
    {
        var request = await SubmitAsync(factory);

        var sent = await factory.Services.GetRequiredService<OutboxSender>().ProcessBatchAsync();

        Assert.Equal(1, sent);
        var mail = await smtp.WaitForMessageAsync("subject@demo.local");
        Assert.Contains(request.Reference[..9], mail.Subject + mail.TextBody);
        var saved = await ReloadAsync(request.Id);
        Assert.Contains(saved.Reference, mail.HtmlBody);
        Assert.Contains("2026-11-23", mail.HtmlBody);
        Assert.Equal($"https://privacy.demo-social.example/requests/{request.Id}", mail.LinkTo("/requests/").ToString());
        await using var db = factory.CreateDbContext();
        Assert.Equal(OutboxStatus.Sent, (await db.OutboxMessages.SingleAsync(m => m.RequestId == request.Id)).Status);
    }

    [Fact]
    public async Task A_Chinese_speaking_subject_gets_the_email_in_Chinese()
    {
        await using (var db = factory.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "subject@demo.local");
            user.PreferredCulture = "zh-CN";
            await db.SaveChangesAsync();
        }

        await SubmitAsync(factory);
        await factory.Services.GetRequiredService<OutboxSender>().ProcessBatchAsync();

        var mail = await smtp.WaitForMessageAsync("subject@demo.local");
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", mail.Subject);
        Assert.Contains("数据副本", mail.HtmlBody); // the request type, localized by the renderer
    }

    [Fact]
    public async Task Two_instances_sending_at_once_deliver_each_email_exactly_once()
    {
        for (var i = 0; i < 12; i++)
        {
            await SubmitAsync(factory);
        }

        var first = factory.Services.GetRequiredService<OutboxSender>();
        var second = ActivatorUtilities.CreateInstance<OutboxSender>(factory.Services);
        var sent = await Task.WhenAll(Task.Run(() => first.ProcessBatchAsync()), Task.Run(() => second.ProcessBatchAsync()));

        Assert.Equal(12, sent.Sum());
        await Eventually.TrueAsync(() => smtp.Messages.Count >= 12, "12 emails at the SMTP listener");
        Assert.Equal(12, smtp.Messages.Count);
        await using var db = factory.CreateDbContext();
        Assert.All(await db.OutboxMessages.ToListAsync(), m => Assert.Equal((OutboxStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task An_unreachable_server_is_retried_with_backoff_then_the_email_is_marked_failed()
    {
        await using var broken = Create(ClosedPort());
        var request = await SubmitAsync(broken);
        var sender = broken.Services.GetRequiredService<OutboxSender>();

        Assert.Equal(0, await sender.ProcessBatchAsync());
        var afterFirst = await MessageAsync(broken, request.Id);
        Assert.Equal((OutboxStatus.Pending, 1), (afterFirst.Status, afterFirst.Attempts));
        Assert.Equal(clock.GetUtcNow().AddMinutes(1), afterFirst.NextAttemptAt);
        Assert.NotNull(afterFirst.LastError);

        Assert.Equal(0, await sender.ProcessBatchAsync()); // not due yet: nothing is tried
        Assert.Equal(1, (await MessageAsync(broken, request.Id)).Attempts);

        clock.Advance(TimeSpan.FromMinutes(1));
        await sender.ProcessBatchAsync();
        Assert.Equal(clock.GetUtcNow().AddMinutes(2), (await MessageAsync(broken, request.Id)).NextAttemptAt);
        clock.Advance(TimeSpan.FromMinutes(2));
        await sender.ProcessBatchAsync();

        var last = await MessageAsync(broken, request.Id);
        Assert.Equal((OutboxStatus.Failed, 3), (last.Status, last.Attempts));
        var supervisor = await broken.SignedInClientAsync("supervisor@demo.local");
        var reports = await supervisor.GetStringAsync("/reports");
        Assert.Contains("data-testid=\"failed-emails\"", reports);
        Assert.Contains("request-received", reports);

        // After the outage a supervisor sends them all again: back in line with fresh attempts, audited.
        var supervisorActor = await broken.ActorAsync("supervisor@demo.local");
        Assert.Equal(1, await sender.ResendFailedAsync(supervisorActor.ForAudit, broken.Services.GetRequiredService<DsrPortal.Features.Audit.AuditWriter>()));
        var requeued = await MessageAsync(broken, request.Id);
        Assert.Equal((OutboxStatus.Pending, 0), (requeued.Status, requeued.Attempts));
        await using var db = broken.CreateDbContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == DsrPortal.Features.Audit.AuditActions.EmailsResent && e.ActorId == supervisorActor.UserId));
    }

    private static async Task<OutboxMessage> MessageAsync(PortalFactory portal, Guid requestId)
    {
        await using var db = portal.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.RequestId == requestId);
    }

    private async Task<DataSubjectRequest> ReloadAsync(Guid id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
