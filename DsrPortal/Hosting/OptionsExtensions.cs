using Microsoft.Extensions.Options;

namespace DsrPortal.Hosting;

internal static class OptionsExtensions
{
    /// <summary>
    /// Binds a settings section and checks its data annotations when the host starts, so a bad
    /// setting stops the portal with the setting's name instead of failing later mid-request.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string sectionName)
        where TOptions : class
    {
        var section = builder.Configuration.GetSection(sectionName);
        return builder.Services.AddOptions<TOptions>()
            // Before binding: the binder's own message for a wrong choice names neither the value nor the choices.
            .Configure(_ => ThrowOnUnknownChoice<TOptions>(section))
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>
    /// For the few sections that decide which services are registered at all (the database provider,
    /// the key ring's certificate): registers them like <see cref="AddValidatedOptions{TOptions}"/> and
    /// also binds and checks them now, with the same rules, so a bad value stops the program here.
    /// </summary>
    public static TOptions AddOptionsValidatedNow<TOptions>(this IHostApplicationBuilder builder, string sectionName, IValidateOptions<TOptions> rules)
        where TOptions : class, new()
    {
        builder.AddValidatedOptions<TOptions>(sectionName);
        builder.Services.AddSingleton(rules);

        var section = builder.Configuration.GetSection(sectionName);
        ThrowOnUnknownChoice<TOptions>(section);
        var options = section.Get<TOptions>() ?? new TOptions();
        var failures = new IValidateOptions<TOptions>[] { new DataAnnotationValidateOptions<TOptions>(Options.DefaultName), rules }
            .Select(v => v.Validate(Options.DefaultName, options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
        return failures.Count == 0 ? options : throw new OptionsValidationException(sectionName, typeof(TOptions), failures);
    }

    /// <summary>An enum setting of the section that names no choice, as "Database:Provider is 'Oracle'; use Sqlite or Postgres."</summary>
    private static void ThrowOnUnknownChoice<TOptions>(IConfigurationSection section)
    {
        var failures = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsEnum && section[property.Name] is { Length: > 0 } value
                && !(Enum.TryParse(type, value, ignoreCase: true, out var parsed) && (Enum.IsDefined(type, parsed) || type.IsDefined(typeof(FlagsAttribute), false))))
            {
                failures.Add($"{section.Path}:{property.Name} is '{value}'; use {string.Join(" or ", Enum.GetNames(type))}.");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(section.Path, typeof(TOptions), failures);
        }
    }
}
