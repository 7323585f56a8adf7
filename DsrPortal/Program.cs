using DsrPortal.Data;
using DsrPortal.Features.Agents;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Api;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Branding;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Demo;
using DsrPortal.Features.Disputes;
using DsrPortal.Features.Fulfilment;
using DsrPortal.Features.Guardians;
using DsrPortal.Features.Notifications;
using DsrPortal.Features.Preferences;
using DsrPortal.Features.Deceased;
using DsrPortal.Features.Notices;
using DsrPortal.Features.Reminders;
using DsrPortal.Features.Replies;
using DsrPortal.Features.ServiceEnd;
using DsrPortal.Features.Reports;
using DsrPortal.Features.Requests;
using DsrPortal.Features.Retention;
using DsrPortal.Features.Settings;
using DsrPortal.Features.Verification;
using DsrPortal.Features.Webhooks;
using DsrPortal.Hosting;
using DsrPortal.Localization;

var verb = ProgramVerbs.TakeVerb(args, out var hostArgs);
if (verb is not null)
{
    return await ProgramVerbs.RunAsync(verb, () => Program.BuildPortal(WebApplication.CreateBuilder(hostArgs)), Console.Out, Console.Error, Console.In);
}

var app = Program.BuildPortal(WebApplication.CreateBuilder(hostArgs));
app.UsePortalPipeline();
await app.InitializeDatabaseAsync();
await app.RunAsync();
return 0;

public partial class Program
{
    /// <summary>Every feature registers itself; the web app and the verbs run on the same services.</summary>
    internal static WebApplication BuildPortal(WebApplicationBuilder builder)
    {
        builder.AddPortalDatabase();
        builder.AddPortalLocalization();
        builder.AddPortalIdentity();
        builder.AddPortalVerification();
        builder.AddPortalAudit();
        builder.AddPortalRequests();
        builder.AddPortalApi();
        builder.AddPortalReports();
        builder.AddPortalRetention();
        builder.AddPortalSettings();
        builder.AddPortalGuardians();
        builder.AddPortalDeceased();
        builder.AddPortalDataSources();
        builder.AddPortalFulfilment();
        builder.AddPortalDisputes();
        builder.AddPortalAgents();
        builder.AddPortalNotifications();
        builder.AddPortalWebhooks();
        builder.AddPortalPreferences();
        builder.AddPortalNotices();
        builder.AddPortalServiceEnd();
        builder.AddPortalReplies();
        builder.AddPortalReminders();
        builder.AddPortalBranding();
        builder.AddPortalDemoData();
        builder.AddPortalHealthChecks();
        builder.AddPortalUi();
        return builder.Build();
    }
}
