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
            // Before binding, which would drop or garble a value it cannot read.
            .Configure(_ => ThrowOnUnreadableValue<TOptions>(section))
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
        ThrowOnUnreadableValue<TOptions>(section);
        var options = section.Get<TOptions>() ?? new TOptions();
        var failures = new IValidateOptions<TOptions>[] { new DataAnnotationValidateOptions<TOptions>(Options.DefaultName), rules }
            .Select(v => v.Validate(Options.DefaultName, options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
        return failures.Count == 0 ? options : throw new OptionsValidationException(sectionName, typeof(TOptions), failures);
    }

    /// <summary>
    /// Every value in the section the binder could not convert, as "Database:Provider is 'Oracle'; use
    /// Sqlite or Postgres.". The binder's own message names neither the value nor the choices, and inside
    /// a list it says nothing at all: it drops the whole item (a data source, a holiday) without a word.
    /// </summary>
    private static void ThrowOnUnreadableValue<TOptions>(IConfigurationSection section)
    {
        var failures = new List<string>();
        CheckProperties(typeof(TOptions), section, failures, depth: 0);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(section.Path, typeof(TOptions), failures);
        }
    }

    private static void CheckProperties(Type type, IConfigurationSection section, List<string> failures, int depth)
    {
        foreach (var property in type.GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            if (section.GetSection(property.Name) is var value && value.Exists())
            {
                CheckValue(property.PropertyType, value, failures, depth);
            }
        }
    }

    private static void CheckValue(Type type, IConfigurationSection section, List<string> failures, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(object) || depth > 8)
        {
            return;
        }

        if (type.IsValueType)
        {
            if (section.Value is { Length: > 0 } value && Unreadable(type, value) is { } advice)
            {
                failures.Add($"{section.Path} is '{value}'; {advice}");
            }
        }
        else if (ElementType(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                CheckValue(element, item, failures, depth + 1);
            }
        }
        else if (type.IsClass)
        {
            CheckProperties(type, section, failures, depth + 1);
        }
    }

    private static string? Unreadable(Type type, string value)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out var parsed) && (Enum.IsDefined(type, parsed) || type.IsDefined(typeof(FlagsAttribute), false))
                ? null
                : $"use {string.Join(" or ", Enum.GetNames(type))}.";
        }

        try
        {
            // As the binder reads it.
            System.ComponentModel.TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            return type switch
            {
                _ when type == typeof(bool) => "use true or false.",
                _ when type == typeof(int) || type == typeof(long) => "use a whole number.",
                _ when type == typeof(TimeSpan) => "use a duration such as 00:05:00 or 1.00:00:00.",
                _ when type == typeof(DateOnly) => "use an ISO date such as 2026-10-01.",
                _ => $"it cannot be read as {type.Name}.",
            };
        }
    }

    /// <summary>What a list, array or dictionary setting holds, one configuration child each.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var generic = type.GetInterfaces().Append(type).Where(i => i.IsGenericType).ToList();
        return generic.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IDictionary<,>))?.GetGenericArguments()[1]
            ?? generic.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }
}
