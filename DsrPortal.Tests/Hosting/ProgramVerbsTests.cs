using System.Diagnostics;
using DsrPortal.Hosting;
using DsrPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace DsrPortal.Tests.Hosting;

/// <summary>
/// The operator verbs. The command line itself (arguments, standard input, exit codes, the migrate verb on a new
/// database) is run as an operator runs it: the portal's program in a process of its own. The other verbs run in this
/// process, on the portal built as Program.cs builds it, which is several times quicker than a cold process each.
/// </summary>
public sealed class ProgramVerbsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dsr-verbs-").FullName;

    private string Database => Path.Combine(folder, "portal.db");

    [Fact]
    public async Task An_unknown_verb_prints_usage_and_exits_2()
    {
        var result = await RunProcessAsync(["frobnicate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown verb 'frobnicate'", result.Error);
        Assert.Contains("create-staff --email E --role Agent|Supervisor", result.Error);
    }

    [Fact]
    public async Task Migrate_then_create_staff_with_a_one_time_password()
    {
        var migrated = await RunProcessAsync(["migrate"]);
        Assert.Equal(0, migrated.ExitCode);
        Assert.Matches(@"Applied [1-9]\d* migration\(s\); the database is up to date\.", migrated.Output);
        Assert.Contains("Applied 0 migration(s)", (await RunProcessAsync(["migrate"])).Output);
        // A new deployment without demo data has an empty trail, and an empty trail is intact.
        var verified = await RunProcessAsync(["audit", "verify"]);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("OK 0 events", verified.Output);

        var created = await RunProcessAsync(["create-staff", "--email", "ops@example.com", "--role", "supervisor"]);

        Assert.Equal(0, created.ExitCode);
        Assert.Contains("Created Supervisor account ops@example.com.", created.Output);
        Assert.Matches(@"One-time password .*: [A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}", created.Output);
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM AspNetUsers u JOIN AspNetUserRoles ur ON ur.UserId = u.Id JOIN AspNetRoles r ON r.Id = ur.RoleId WHERE u.Email = 'ops@example.com' AND r.Name = 'Supervisor' AND u.MustChangePassword = 1"));
    }

    [Fact]
    public async Task Create_staff_takes_the_password_from_standard_input()
    {
        await RunProcessAsync(["migrate"]);

        var created = await RunProcessAsync(["create-staff", "--email", "agent7@example.com", "--role", "Agent", "--password-stdin"], input: "agent seven passphrase\n");

        Assert.Equal(0, created.ExitCode);
        Assert.DoesNotContain("One-time password", created.Output);
        Assert.Equal(0L, Scalar("SELECT MustChangePassword FROM AspNetUsers WHERE Email = 'agent7@example.com'"));
    }

    [Fact]
    public async Task Create_staff_explains_what_is_wrong()
    {
        await RunAsync(["migrate"]);

        var noRole = await RunAsync(["create-staff", "--email", "x@example.com"]);
        var subjectRole = await RunAsync(["create-staff", "--email", "x@example.com", "--role", "Subject"]);
        var shortPassword = await RunAsync(["create-staff", "--email", "x@example.com", "--role", "Agent", "--password-stdin"], input: "short\n");

        Assert.Equal(2, noRole.ExitCode);
        Assert.Contains("needs --email and --role Agent or --role Supervisor", noRole.Error);
        Assert.Equal(2, subjectRole.ExitCode);
        Assert.Equal(1, shortPassword.ExitCode);
        Assert.Contains("at least 12 characters", shortPassword.Error);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM AspNetUsers WHERE Email = 'x@example.com'"));
    }

    [Fact]
    public async Task Seed_service_db_generates_the_demo_apps_database_and_adds_the_demo_subjects_once()
    {
        var service = Path.Combine(folder, "service.db");
        var source = new Dictionary<string, string>
        {
            ["DataSources__Sql__0__Name"] = "social-app",
            ["DataSources__Sql__0__ConnectionString"] = $"Data Source={service}",
            ["DataSources__Sql__0__MediaDirectory"] = Path.Combine(folder, "media"),
        };

        var unconfigured = await RunAsync(["seed-service-db", "--users", "5"]);
        var badCount = await RunAsync(["seed-service-db", "--users", "many"], environment: source);
        var seeded = await RunAsync(["seed-service-db", "--users", "50"], environment: source);
        var more = await RunAsync(["seed-service-db", "--users", "10"], environment: source);

        Assert.Equal(1, unconfigured.ExitCode);
        Assert.Contains("No DataSources:Sql source is named 'social-app'", unconfigured.Error);
        Assert.Equal(2, badCount.ExitCode);
        Assert.Contains("seed-service-db needs --users N", badCount.Error);
        Assert.Equal(0, seeded.ExitCode);
        Assert.Contains("Service database: 50 user(s) generated", seeded.Output);
        Assert.Equal(0, more.ExitCode);
        // 60 random users and the three demo subjects, who were not added twice.
        Assert.Equal(63L, Scalar("SELECT COUNT(*) FROM users", service));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM users WHERE phone = '13800000001'", service));
        Assert.True(Scalar("SELECT COUNT(*) FROM reading_records WHERE user_id = (SELECT id FROM users WHERE phone = '13800000001')", service) >= 15);
        Assert.Equal(Scalar("SELECT COUNT(*) FROM photos", service), Directory.GetFiles(Path.Combine(folder, "media"), "*.png").Length);
    }

    [Fact]
    public async Task Seed_demo_refuses_unless_demo_data_is_enabled_and_is_idempotent()
    {
        await RunAsync(["migrate"]);

        var refused = await RunAsync(["seed-demo"]);
        var seeded = await RunAsync(["seed-demo"], demoData: true);
        var again = await RunAsync(["seed-demo"], demoData: true);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Demo data is disabled", refused.Error);
        Assert.Equal(0, seeded.ExitCode);
        Assert.Contains("5 account(s) created", seeded.Output);
        Assert.Contains("0 account(s) created", again.Output);
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM AspNetUsers WHERE Email LIKE '%@demo.local'"));
    }

    [Fact]
    public async Task Audit_verify_passes_on_a_fresh_demo_and_names_the_first_broken_event_after_tampering()
    {
        await RunAsync(["migrate"]);
        await RunAsync(["seed-demo"], demoData: true);
        await RunAsync(["create-staff", "--email", "ops2@example.com", "--role", "Agent"]);

        var intact = await RunAsync(["audit", "verify"]);
        Assert.Equal(0, intact.ExitCode);
        Assert.Equal("OK 5 events", intact.Output.Trim());

        Scalar("UPDATE AuditEvents SET ActorRole = 'Supervisor' WHERE Sequence = 2");
        var broken = await RunAsync(["audit", "verify"]);

        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("BROKEN at event 2:", broken.Error.Trim());
    }

    [Theory]
    [InlineData("CN", "2026-11-02T10:00:00+08:00", false, "2026-11-23")]
    [InlineData("CN", "2026-11-02T10:00:00+08:00", true, "2026-12-02")]
    [InlineData("GDPR", "2026-01-31T09:00:00+08:00", false, "2026-03-02")]
    [InlineData("CCPA", "2026-11-02T10:00:00-08:00", true, "2027-01-31")]
    // The official CN calendars ship with the portal: nothing to configure.
    [InlineData("CN", "2026-09-18T10:00:00+08:00", false, "2026-10-15")]
    [InlineData("CN", "2026-10-08T10:00:00+08:00", false, "2026-10-28")]
    [InlineData("CN", "2026-09-01T10:00:00+08:00", true, "2026-10-08")]
    [InlineData("CN", "2025-01-24T10:00:00+08:00", false, "2025-02-20")]
    [InlineData("CN", "2025-09-26T10:00:00+08:00", false, "2025-10-23")]
    // A CN deployment counts GDPR requests in Brussels, without China's National Day.
    [InlineData("GDPR", "2026-09-01T10:00:00+08:00", false, "2026-10-01")]
    public async Task Deadline_prints_the_due_date_the_portal_would_set(string profile, string received, bool extended, string expected)
    {
        string[] args = extended ? ["deadline", "--profile", profile, "--received", received, "--extended"] : ["deadline", "--profile", profile, "--received", received];

        var result = await RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.Output.Trim());
    }

    [Fact]
    public async Task Deadline_finds_the_shipped_calendar_when_the_operators_assets_folder_predates_it()
    {
        var assets = Directory.CreateDirectory(Path.Combine(folder, "assets")).FullName;

        var result = await RunAsync(["deadline", "--profile", "CN", "--received", "2026-09-18T10:00:00+08:00"],
            environment: new Dictionary<string, string> { ["Branding__AssetsPath"] = assets });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2026-10-15", result.Output.Trim());
    }

    [Fact]
    public async Task Deadline_reports_invalid_settings_in_one_line()
    {
        var result = await RunAsync(["deadline", "--profile", "GDPR", "--received", "2026-09-01T10:00:00+02:00"],
            environment: new Dictionary<string, string> { ["Deadlines__Profiles__GDPR__TimeZone"] = "Mars/Olympus_Mons", ["Deadlines__Profiles__EU__TimeZone"] = "UTC" });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("Invalid setting: ", line);
        Assert.Contains("Deadlines:Profiles:EU is not a deadline profile; use CN, GDPR or CCPA.", line);
        Assert.Contains("Deadlines:Profiles:GDPR:TimeZone 'Mars/Olympus_Mons' is not an IANA time zone such as Europe/Brussels.", line);
    }

    [Fact]
    public async Task Deadline_explains_bad_arguments()
    {
        var result = await RunAsync(["deadline", "--profile", "EU", "--received", "yesterday"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--profile", result.Error);
    }

    [Fact]
    public async Task Verbs_other_than_migrate_refuse_an_unmigrated_database()
    {
        var result = await RunAsync(["create-staff", "--email", "early@example.com", "--role", "Agent"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("run the migrate verb first", result.Error);
    }

    [Fact]
    public async Task Audit_verify_of_a_database_that_is_not_there_says_so_and_creates_none()
    {
        var result = await RunAsync(["audit", "verify"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("audit verify cannot open the database", result.Error);
        Assert.DoesNotContain("OK", result.Output);
        Assert.False(File.Exists(Database), "audit verify created an empty database");
    }

    [Theory]
    [InlineData("Database:Provider", "Oracle", "Database:Provider is 'Oracle'; use Sqlite or Postgres.")]
    [InlineData("Database:Provider", "7", "Database:Provider is '7'; use Sqlite or Postgres.")]
    [InlineData("ReverseProxy:KnownProxies:0", "proxy.internal", "ReverseProxy:KnownProxies:0 is 'proxy.internal', which is not an IP address.")]
    [InlineData("DataProtection:CertificatePath", "keys/missing.pfx", "DataProtection:CertificatePath names ")]
    [InlineData("DemoData:ServiceUsers", "-1", "DemoData:ServiceUsers must be a whole number from 0 to 10000000.")]
    [InlineData("DataSources:Sql:0:Provider", "Oracle", "DataSources:Sql:0:Provider is 'Oracle'; use Sqlite or Postgres.")]
    [InlineData("Deadlines:Holidays:0", "2026-13-01", "Deadlines:Holidays:0 is '2026-13-01'; use an ISO date such as 2026-10-01.")]
    [InlineData("Retention:Interval", "daily", "Retention:Interval is 'daily'; use a duration such as 00:05:00 or 1.00:00:00.")]
    [InlineData("DataSources:Sql:0:Provider", "3", "DataSources:Sql:0:Provider is '3'; use Sqlite or Postgres.")]
    [InlineData("DataSources:Sql:0:Tables:0:Table", "users; drop table x", "DataSources:Sql:0:Tables:0:Table is 'users; drop table x', which is not a plain SQL identifier")]
    public async Task An_invalid_setting_is_one_line_on_standard_error_and_exit_code_1(string key, string value, string expected)
    {
        var result = await RunInProcessAsync(["migrate"], new()
        {
            ["DataSources:Sql:0:Name"] = "crm",
            ["DataSources:Sql:0:ConnectionString"] = $"Data Source={Path.Combine(folder, "crm.db")}",
            ["DataSources:Sql:0:Tables:0:Table"] = "tickets",
            ["DataSources:Sql:0:Tables:0:Category"] = "SupportTickets",
            ["DataSources:Sql:0:Tables:0:SubjectColumn"] = "phone",
            ["DataSources:Sql:0:Tables:0:Matches"] = "Phone",
            [key] = value,
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Invalid setting: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(Database), "nothing was migrated");
    }

    [Fact]
    public async Task The_same_settings_without_the_bad_one_run_the_verb()
    {
        var result = await RunInProcessAsync(["deadline", "--profile", "CN", "--received", "2026-11-02T10:00:00+08:00"], new()
        {
            ["ReverseProxy:KnownProxies:0"] = "10.0.0.2",
            ["DemoData:ServiceUsers"] = "0",
        });

        Assert.Equal((0, "2026-11-23", ""), (result.ExitCode, result.Output.Trim(), result.Error));
    }

    private long Scalar(string sql, string? database = null)
    {
        using var connection = new SqliteConnection($"Data Source={database ?? Database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>The verb in this process, with the settings an operator would give as environment variables.</summary>
    private Task<(int ExitCode, string Output, string Error)> RunAsync(
        string[] args, string? input = null, bool demoData = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DemoData:Enabled"] = demoData ? "true" : "false",
            ["DemoData:SampleRequests"] = "false",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        return RunInProcessAsync(args, settings, input);
    }

    /// <summary>The portal's program in a process of its own, as an operator runs it.</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(
        string[] args, string? input = null, bool demoData = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepoPaths.PortalAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Database}";
        start.Environment["DemoData__Enabled"] = demoData ? "true" : "false";
        start.Environment["DemoData__SampleRequests"] = "false";
        start.Environment["Branding__AssetsPath"] = RepoPaths.Assets;
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The verb in this process, on the portal as Program.cs builds it, with the test's settings over the defaults.</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(string[] args, Dictionary<string, string?> settings, string? input = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Database}",
            ["Branding:AssetsPath"] = RepoPaths.Assets,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ProgramVerbs.RunAsync(args, () => Program.BuildPortal(builder), output, error, new StringReader(input ?? ""));

        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
