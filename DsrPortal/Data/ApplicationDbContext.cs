using DsrPortal.Features.Audit;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Policies;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DsrPortal.Data;

/// <summary>
/// Identity plus the portal's own tables. Each database provider has a derived context so that its
/// migrations live in their own folder (see docs/decisions/0005-migrations-per-provider.md).
/// </summary>
public abstract class ApplicationDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();

    public DbSet<DataSubjectRequest> Requests => Set<DataSubjectRequest>();

    public DbSet<RequestMessage> RequestMessages => Set<RequestMessage>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Features.Guardians.GuardianLink> GuardianLinks => Set<Features.Guardians.GuardianLink>();

    public DbSet<Features.Guardians.GuardianDocument> GuardianDocuments => Set<Features.Guardians.GuardianDocument>();

    public DbSet<Features.Disputes.RequestAttachment> RequestAttachments => Set<Features.Disputes.RequestAttachment>();

    public DbSet<Features.Disputes.DisputeProposal> DisputeProposals => Set<Features.Disputes.DisputeProposal>();

    public DbSet<Features.Corrections.CorrectionItem> CorrectionItems => Set<Features.Corrections.CorrectionItem>();

    public DbSet<Features.Deletion.ChosenItem> ChosenItems => Set<Features.Deletion.ChosenItem>();

    public DbSet<Features.DataSources.Http.ConnectorOperation> ConnectorOperations => Set<Features.DataSources.Http.ConnectorOperation>();

    public DbSet<Features.ManualTasks.ManualTask> ManualTasks => Set<Features.ManualTasks.ManualTask>();

    public DbSet<Features.Export.ExportChunk> ExportChunks => Set<Features.Export.ExportChunk>();

    public DbSet<Features.Fulfilment.FulfilmentJob> FulfilmentJobs => Set<Features.Fulfilment.FulfilmentJob>();

    public DbSet<Features.Settings.PortalSetting> PortalSettings => Set<Features.Settings.PortalSetting>();

    public DbSet<Features.Verification.OneTimeCode> OneTimeCodes => Set<Features.Verification.OneTimeCode>();

    public DbSet<Features.Agents.AgentAuthorization> AgentAuthorizations => Set<Features.Agents.AgentAuthorization>();

    public DbSet<Features.Accounts.UserSession> UserSessions => Set<Features.Accounts.UserSession>();

    public DbSet<Features.Preferences.ProcessingChoice> ProcessingChoices => Set<Features.Preferences.ProcessingChoice>();

    public DbSet<Features.Preferences.ProcessingPurpose> ProcessingPurposes => Set<Features.Preferences.ProcessingPurpose>();

    public DbSet<Features.Notices.Notice> Notices => Set<Features.Notices.Notice>();

    public DbSet<Features.Notices.NoticeRecipient> NoticeRecipients => Set<Features.Notices.NoticeRecipient>();

    public DbSet<Features.ServiceEnd.ServiceEndProgram> ServiceEndPrograms => Set<Features.ServiceEnd.ServiceEndProgram>();

    public DbSet<Features.ServiceEnd.ServiceEndEnrolment> ServiceEndEnrolments => Set<Features.ServiceEnd.ServiceEndEnrolment>();

    public DbSet<Features.Deceased.RelativeClaim> RelativeClaims => Set<Features.Deceased.RelativeClaim>();

    public DbSet<Features.Deceased.RelativeDocument> RelativeDocuments => Set<Features.Deceased.RelativeDocument>();

    public DbSet<Features.Deceased.LegacyArrangement> LegacyArrangements => Set<Features.Deceased.LegacyArrangement>();

    public DbSet<Features.Replies.SavedReply> SavedReplies => Set<Features.Replies.SavedReply>();

    public DbSet<Features.Reminders.StaffDigest> StaffDigests => Set<Features.Reminders.StaffDigest>();

    public DbSet<Features.Reminders.OverdueAlert> OverdueAlerts => Set<Features.Reminders.OverdueAlert>();

    public DbSet<Features.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Features.Webhooks.WebhookDelivery>();

    public DbSet<Features.Webhooks.ChangeFeedEntry> ChangeFeedEntries => Set<Features.Webhooks.ChangeFeedEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ApplicationDbContext).Assembly);
    }
}

public sealed class SqliteApplicationDbContext(DbContextOptions<SqliteApplicationDbContext> options)
    : ApplicationDbContext(options)
{
    // SQLite cannot order or compare DateTimeOffset text; stored as sortable binary it can.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
}

public sealed class PostgresApplicationDbContext(DbContextOptions<PostgresApplicationDbContext> options)
    : ApplicationDbContext(options);
