namespace DsrPortal.Features.Requests;

/// <summary>
/// A move the lifecycle does not allow. <see cref="Key"/> is the English text and the localization
/// key; <see cref="Arguments"/> fill its placeholders.
/// </summary>
public sealed class RequestRuleException(string key, params object[] arguments)
    : InvalidOperationException(string.Format(System.Globalization.CultureInfo.InvariantCulture, key, arguments))
{
    public string Key { get; } = key;

    public object[] Arguments { get; } = arguments;

    /// <summary>The one way a rule refuses: every entity and use case states its conditions with it.</summary>
    public static void Require(bool condition, string key, params object[] arguments)
    {
        if (!condition)
        {
            throw new RequestRuleException(key, arguments);
        }
    }
}
