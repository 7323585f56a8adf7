namespace DsrPortal.Features.Accounts;

/// <summary>Email addresses as the portal shows them to people who should not read them in full (see <see cref="PhoneNumbers.Mask"/>).</summary>
public static class EmailAddresses
{
    /// <summary>l***@example.com: enough to tell requesters apart or recognise one's own address, too little to contact anyone.</summary>
    public static string Mask(string? email)
    {
        var at = email?.IndexOf('@') ?? -1;
        return at < 1 ? "***" : $"{email![0]}***{email[at..]}";
    }
}
