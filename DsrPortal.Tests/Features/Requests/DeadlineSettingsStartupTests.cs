using DsrPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace DsrPortal.Tests.Features.Requests;

/// <summary>Deadline settings the portal cannot count on stop the start, in a line an operator can act on.</summary>
public sealed class DeadlineSettingsStartupTests
{
    [Fact]
    public async Task An_unknown_profile_or_time_zone_stops_the_portal_with_one_line_each()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?>
        {
            ["Deadlines:Profiles:PIPL:TimeZone"] = "Asia/Shanghai",
            ["Deadlines:Profiles:CCPA:TimeZone"] = "Pacific/Hollywood",
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Equal(
            [
                "Deadlines:Profiles:CCPA:TimeZone 'Pacific/Hollywood' is not an IANA time zone such as Europe/Brussels.",
                "Deadlines:Profiles:PIPL is not a deadline profile; use CN, GDPR or CCPA.",
            ],
            error.Failures.Order());
    }
}
