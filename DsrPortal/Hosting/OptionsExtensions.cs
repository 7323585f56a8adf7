using Microsoft.Extensions.Options;

namespace DsrPortal.Hosting;

internal static class OptionsExtensions
{
    /// <summary>
    /// Binds a settings section and checks its data annotations when the host starts, so a bad
    /// setting stops the portal with the setting's name instead of failing later mid-request.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string sectionName)
        where TOptions : class =>
        builder.Services.AddOptions<TOptions>()
            .Bind(builder.Configuration.GetSection(sectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
