using DsrPortal.Features.Accounts;

namespace DsrPortal.Tests.Features.Accounts;

/// <summary>What staff lists show of an address before the audited reveal: enough to tell people apart, never the whole.</summary>
public sealed class EmailMaskTests
{
    [Theory]
    [InlineData("lin@example.com", "l***@example.com")]
    [InlineData("a@example.com", "*@example.com")]
    [InlineData("@example.com", "*@example.com")]
    [InlineData("no-at-sign", "***")]
    [InlineData(null, "***")]
    public void An_address_is_masked_so_that_its_name_never_shows_whole(string? email, string shown) =>
        Assert.Equal(shown, EmailAddresses.Mask(email));
}
