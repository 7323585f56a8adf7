using System.Text.RegularExpressions;
using MimeKit;

namespace DsrPortal.Tests.Infrastructure;

public static partial class MailReader
{
    /// <summary>The messages in a pickup folder, as the portal wrote them in Pickup mode.</summary>
    public static IReadOnlyList<MimeMessage> ReadPickupFolder(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.eml").Order().Select(f => MimeMessage.Load(f))]
            : [];

    public static MimeMessage SingleTo(this IEnumerable<MimeMessage> messages, string recipient) =>
        Assert.Single(messages, m => m.To.Mailboxes.Any(b => string.Equals(b.Address, recipient, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The first link in the HTML body that points at the given path.</summary>
    public static Uri LinkTo(this MimeMessage message, string path)
    {
        var match = Href().Matches(message.HtmlBody ?? "")
            .Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))
            .FirstOrDefault(h => h.Contains(path, StringComparison.OrdinalIgnoreCase));
        return new Uri(match ?? throw new InvalidOperationException($"No link to {path} in the email '{message.Subject}'."));
    }

    [GeneratedRegex(@"href=""([^""]+)""")]
    private static partial Regex Href();
}
