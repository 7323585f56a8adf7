namespace DsrPortal.Hosting;

/// <summary>
/// A development outbox on disk (emails as .eml, text messages as .json): each file is written under a
/// temporary name and renamed, so a reader never sees half a message.
/// </summary>
internal static class PickupFolder
{
    /// <param name="configured">The folder setting; a relative path is under the content root.</param>
    public static async Task WriteAsync(string configured, string contentRoot, string extension, Func<string, Task> write)
    {
        var folder = Path.IsPathRooted(configured) ? configured : Path.Combine(contentRoot, configured);
        Directory.CreateDirectory(folder);
        // Named by the wall clock on purpose, not the portal's (a test's frozen clock would name every
        // file alike): files sort in the order they were really written.
        var name = $"{TimeProvider.System.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(folder, name + ".tmp");
        await write(temporary);
        File.Move(temporary, Path.Combine(folder, name + extension));
    }
}
