namespace DsrPortal.Features.Accounts;

/// <summary>Email addresses as the portal shows them to people who should not read them in full (see <see cref="PhoneNumbers.Mask"/>).</summary>
public static class EmailAddresses
{
    /// <summary>l***@example.com: enough to tell requesters apart or recognise one's own address, too little to contact anyone.</summary>
    public static string Mask(string? email)
    {
        var at = email?.IndexOf('@') ?? -1;
        return at switch
        {
            < 0 => "***",
            // A one-letter name would show whole: hide it too.
            <= 1 => "*" + email![at..],
            _ => $"{email![0]}***{email[at..]}",
        };
    }
}
