using System.Text.Json;

namespace DsrPortal.Tests.Infrastructure;

/// <summary>Reads the text messages the portal wrote to its SMS pickup folder, as a phone would receive them.</summary>
public static class SmsReader
{
    public sealed record Sms(string To, string Text, string? Code, DateTimeOffset SentAt);

    public static IReadOnlyList<Sms> ReadAll(string folder) =>
        !Directory.Exists(folder)
            ? []
            : [.. Directory.GetFiles(folder, "*.json").Order().Select(file =>
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                var root = json.RootElement;
                return new Sms(root.GetProperty("to").GetString()!, root.GetProperty("text").GetString()!,
                    root.GetProperty("code").GetString(), root.GetProperty("sentAt").GetDateTimeOffset());
            })];

    public static IReadOnlyList<Sms> To(string folder, string phone) => [.. ReadAll(folder).Where(m => m.To == phone)];

    /// <summary>The code in the newest message to the number; fails the test when none arrived.</summary>
    public static string LatestCode(string folder, string phone) =>
        To(folder, phone).LastOrDefault(m => m.Code is not null)?.Code ?? throw new Xunit.Sdk.XunitException($"No text message reached {phone}.");

    /// <summary>Waits for a message to the number (the browser's request may still be in flight).</summary>
    public static async Task<string> WaitForCodeAsync(string folder, string phone, int alreadySeen = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var messages = To(folder, phone).Where(m => m.Code is not null).ToList();
            if (messages.Count > alreadySeen)
            {
                return messages[^1].Code!;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"No text message reached {phone} within 15 seconds.");
    }
}
