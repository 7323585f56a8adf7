using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using System.Globalization;
using DsrPortal.Features.Audit;
using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Features.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DsrPortal.Hosting;

/// <summary>
/// The operator verbs of DESIGN.md's stable contracts: `dotnet run --project DsrPortal -- VERB ...`.
/// They run on the same services and configuration as the web app, without starting it.
/// </summary>
internal static class ProgramVerbs
{
    public const string Usage = """
        Usage: DsrPortal [VERB [OPTIONS]]

        Without a verb the web portal starts. Verbs:
          migrate                                   apply pending database migrations
          seed-demo                                 create the demo accounts (needs DemoData:Enabled=true)
          seed-service-db --users N                 generate the demo social app's database (N random users
                                                    plus the demo subjects) into DemoData:ServiceDatabase
          create-staff --email E --role Agent|Supervisor [--password-stdin]
                                                    create a staff account; prints a one-time password,
                                                    or reads the password from standard input
          deadline --profile CN|GDPR|CCPA --received ISO-DATE-TIME [--extended]
                                                    print the due date (ISO date) the portal would set
          audit checkpoint                          write a signed checkpoint of the verified trail
                                                    to Audit:CheckpointDirectory (and email it)
          audit verify [--checkpoint FILE]          recompute the audit chain; prints OK <n> events,
                                                    or exits 1 naming the first broken event
          service-end dry-run                       count what ending the service would erase, keep and
                                                    anonymise (reads only: rehearse on a copy of the data)
          help                                      show this text
        """;

    private static readonly HashSet<string> Known = ["migrate", "seed-demo", "seed-service-db", "create-staff", "audit", "deadline", "service-end", "help"];

    /// <summary>Splits the command line: a first word that is not an option is a verb, the rest stays for the host.</summary>
    public static string[]? TakeVerb(string[] args, out string[] hostArgs)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            hostArgs = args;
            return null;
        }

        hostArgs = [];
        return args;
    }

    public static bool IsKnown(string verb) => Known.Contains(verb);

    public static async Task<int> RefuseUnknownAsync(string verb, TextWriter error)
    {
        await error.WriteLineAsync($"Unknown verb '{verb}'.");
        await error.WriteLineAsync(Usage);
        return 2;
    }

    /// <summary>Program.cs's entry for a verb: builds the portal's services, then runs the verb on them.</summary>
    /// <param name="build">Builds the portal; called only for a known verb.</param>
    public static async Task<int> RunAsync(string[] verbArgs, Func<WebApplication> build, TextWriter output, TextWriter error, TextReader input)
    {
        if (!IsKnown(verbArgs[0]))
        {
            return await RefuseUnknownAsync(verbArgs[0], error);
        }

        WebApplication app;
        try
        {
            app = build();
        }
        catch (Exception exception) when (IsSettingProblem(exception))
        {
            await error.WriteLineAsync(InvalidSetting(exception));
            return 1;
        }

        await using (app)
        {
            return await RunAsync(app.Services, verbArgs, output, error, input);
        }
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] verbArgs, TextWriter output, TextWriter error, TextReader input)
    {
        var verb = verbArgs[0];
        if (!IsKnown(verb))
        {
            return await RefuseUnknownAsync(verb, error);
        }

        try
        {
            // A verb does not start the host, so the settings the host checks on start are checked here.
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception exception) when (IsSettingProblem(exception))
        {
            await error.WriteLineAsync(InvalidSetting(exception));
            return 1;
        }

        await using var scope = services.CreateAsyncScope();
        var scoped = scope.ServiceProvider;
        try
        {
            return verb switch
            {
                "migrate" => await MigrateAsync(scoped, output),
                "seed-demo" => await SeedDemoAsync(scoped, output, error),
                "seed-service-db" => await SeedServiceDbAsync(scoped, verbArgs[1..], output, error),
                "create-staff" => await CreateStaffAsync(scoped, verbArgs[1..], output, error, input),
                "audit" => await AuditAsync(scoped, verbArgs[1..], output, error),
                "deadline" => await DeadlineAsync(scoped, verbArgs[1..], output, error),
                "service-end" => await ServiceEndAsync(scoped, verbArgs[1..], output, error),
                _ => await HelpAsync(output),
            };
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException or DbUpdateException or System.Data.Common.DbException)
        {
            await error.WriteLineAsync(OneLine($"{verb} failed: {Describe(exception)}"));
            return 1;
        }
    }

    private static string InvalidSetting(Exception exception) => OneLine($"Invalid setting: {Describe(exception)}");

    /// <summary>What a wrong or missing setting throws while the services are built and checked.</summary>
    private static bool IsSettingProblem(Exception exception) => exception switch
    {
        OptionsValidationException or InvalidOperationException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsSettingProblem),
        _ => false,
    };

    private static string Describe(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join(" ", aggregate.InnerExceptions.Select(Describe)),
        // The configuration binder says where a value would not convert; the converter says what the value was.
        InvalidOperationException { InnerException: FormatException or ArgumentException or OverflowException } wrapped =>
            $"{wrapped.Message} {wrapped.InnerException!.Message}",
        _ => exception.Message,
    };

    /// <summary>An operator's terminal or log gets one line per failure, never a stack trace.</summary>
    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The dry run of the end of the service: one line per count, then one per category and action.</summary>
    private static async Task<int> ServiceEndAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["dry-run"])
        {
            await error.WriteLineAsync("Usage: service-end dry-run");
            return 2;
        }

        var run = await services.GetRequiredService<Features.ServiceEnd.ServiceEndService>().DryRunAsync();
        await output.WriteLineAsync($"accounts {run.Accounts}");
        await output.WriteLineAsync($"people-without-account {run.PeopleWithoutAccount}");
        foreach (var (category, actions) in run.Rows)
        {
            foreach (var (action, rows) in actions)
            {
                await output.WriteLineAsync($"{category} {action} {rows}");
            }
        }

        return 0;
    }

    private static async Task<int> HelpAsync(TextWriter output)
    {
        await output.WriteLineAsync(Usage);
        return 0;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<ApplicationDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        await output.WriteLineAsync($"Applied {pending.Count} migration(s); the database is up to date.");
        if (await services.GetRequiredService<AuditWriter>().SignLegacyAsync(db) is > 0 and var signed)
        {
            await output.WriteLineAsync($"Signed the {signed} audit events written before the trail was signed.");
        }
        return 0;
    }

    private static async Task<int> SeedDemoAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        if (!await IsUpToDateAsync(services, error))
        {
            return 1;
        }

        var created = await services.GetRequiredService<DemoDataSeeder>().SeedAsync();
        await output.WriteLineAsync($"Demo data: {created} account(s) created; password for all: {DemoDataOptions.Password}");
        foreach (var account in DemoDataSeeder.Accounts)
        {
            await output.WriteLineAsync($"  {account.Email} ({account.Role})");
        }

        return 0;
    }

    private static async Task<int> SeedServiceDbAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["--users", var text] || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var users) || users is < 0 or > 10_000_000)
        {
            await error.WriteLineAsync("seed-service-db needs --users N, a whole number from 0 to 10000000.");
            return 2;
        }

        var rows = await services.GetRequiredService<Features.DataSources.ServiceDatabase.DemoServiceDatabase>().SeedAsync(users);
        await output.WriteLineAsync($"Service database: {users} user(s) generated, {rows} row(s) in all.");
        return 0;
    }

    private static async Task<int> CreateStaffAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, TextReader input)
    {
        string? email = null, role = null;
        var passwordFromInput = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length:
                    email = args[++i];
                    break;
                case "--role" when i + 1 < args.Length:
                    role = args[++i];
                    break;
                case "--password-stdin":
                    passwordFromInput = true;
                    break;
                default:
                    await error.WriteLineAsync($"create-staff: unexpected argument '{args[i]}'.");
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        var canonicalRole = PortalRoles.StaffRoles.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
        if (email is null || canonicalRole is null)
        {
            await error.WriteLineAsync("create-staff needs --email and --role Agent or --role Supervisor.");
            return 2;
        }

        if (!await IsUpToDateAsync(services, error))
        {
            return 1;
        }

        var password = passwordFromInput ? (await input.ReadLineAsync())?.TrimEnd('\r', '\n') : null;
        if (passwordFromInput && string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("create-staff: --password-stdin was given but standard input was empty.");
            return 1;
        }

        var operatorActor = new AuditActor("operator", AuditRoles.System);
        var result = await services.GetRequiredService<Features.Staff.StaffAccountService>().CreateAsync(email, canonicalRole, password, operatorActor);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"create-staff failed: {string.Join(" ", result.Errors)}");
            return 1;
        }

        await output.WriteLineAsync($"Created {canonicalRole} account {email.Trim()}.");
        if (result.OneTimePassword is not null)
        {
            await output.WriteLineAsync($"One-time password (shown once; it must be changed at first sign-in): {result.OneTimePassword}");
        }

        return 0;
    }

    private static async Task<int> AuditAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var checkpoints = services.GetRequiredService<AuditCheckpoints>();
        switch (args)
        {
            case ["checkpoint"]:
            {
                var (path, verification) = await checkpoints.WriteAsync();
                if (path is null)
                {
                    await error.WriteLineAsync($"No checkpoint written: the trail does not verify. {verification}");
                    return 1;
                }

                await output.WriteLineAsync($"Checkpoint written: {path}");
                return 0;
            }

            case ["verify"] or ["verify", "--checkpoint", _]:
            {
                AuditCheckpoint? checkpoint = null;
                if (args is [_, _, var file])
                {
                    (checkpoint, var problem) = checkpoints.Read(file);
                    if (checkpoint is null)
                    {
                        await error.WriteLineAsync($"BROKEN checkpoint: {problem}");
                        return 1;
                    }
                }

                // Two tables over plain ADO.NET: no EF model to build first. A database that is not there is not created.
                System.Data.Common.DbConnection connection;
                try
                {
                    connection = await services.GetRequiredService<PortalConnections>().OpenAsync();
                }
                catch (System.Data.Common.DbException exception)
                {
                    await error.WriteLineAsync(OneLine($"audit verify cannot open the database ({exception.Message}); a new one is made by the migrate verb."));
                    return 1;
                }

                await using var _ = connection;
                var result = await services.GetRequiredService<AuditVerifier>().VerifyAsync(connection, checkpoint);
                await (result.Intact ? output : error).WriteLineAsync(result.ToString());
                return result.Intact ? 0 : 1;
            }

            default:
                await error.WriteLineAsync("audit takes a sub-verb: audit verify [--checkpoint FILE] | audit checkpoint");
                return 2;
        }
    }

    private static async Task<int> DeadlineAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        DeadlineProfile? profile = null;
        DateTimeOffset? received = null;
        var extended = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--profile" when i + 1 < args.Length && Enum.TryParse<DeadlineProfile>(args[i + 1], ignoreCase: true, out var p) && Enum.IsDefined(p):
                    profile = p;
                    i++;
                    break;
                case "--received" when i + 1 < args.Length && DateTimeOffset.TryParse(args[i + 1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var r):
                    received = r;
                    i++;
                    break;
                case "--extended":
                    extended = true;
                    break;
                default:
                    await error.WriteLineAsync($"deadline: unexpected or invalid argument '{args[i]}'.");
                    await error.WriteLineAsync("Usage: deadline --profile CN|GDPR|CCPA --received 2026-11-02T10:00:00+08:00 [--extended]");
                    return 2;
            }
        }

        if (profile is null || received is null)
        {
            await error.WriteLineAsync("deadline needs --profile CN|GDPR|CCPA and --received with an ISO date-time, e.g. 2026-11-02T10:00:00+08:00.");
            return 2;
        }

        var due = services.GetRequiredService<DeadlineCalculator>().DueDate(profile.Value, received.Value, extended);
        await output.WriteLineAsync(due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task<bool> IsUpToDateAsync(IServiceProvider services, TextWriter error)
    {
        var db = services.GetRequiredService<ApplicationDbContext>();
        if ((await db.Database.GetPendingMigrationsAsync()).Any())
        {
            await error.WriteLineAsync("The database is not up to date: run the migrate verb first.");
            return false;
        }

        return true;
    }
}

