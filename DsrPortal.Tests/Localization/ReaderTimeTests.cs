using DsrPortal.Features.Requests.Deadlines;
using DsrPortal.Localization;

namespace DsrPortal.Tests.Localization;

public sealed class ReaderTimeTests
{
    private static ReaderTime InShanghai() => new(new DeadlineCalculator(
        Microsoft.Extensions.Options.Options.Create(new DeadlineOptions { TimeZone = "Asia/Shanghai" })));

    private static readonly DateTimeOffset Noon = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_reader_whose_browser_named_a_zone_reads_times_on_that_clock()
    {
        var reader = InShanghai();
        reader.Use("Europe/Berlin");

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 13, 0, 0, TimeSpan.FromHours(1)), reader.Local(Noon));
        Assert.Equal(TimeSpan.FromHours(1), reader.Local(Noon).Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/localtime")]
    [InlineData("Europe/Berlin; Path=/")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Without_a_zone_or_with_a_forged_one_the_deployments_zone_applies(string? cookie)
    {
        var reader = InShanghai();
        reader.Use(cookie);

        Assert.Equal("Asia/Shanghai", reader.Zone.Id);
        Assert.Equal(TimeSpan.FromHours(8), reader.Local(Noon).Offset);
        Assert.Null(ReaderTime.Find(cookie));
    }
}
