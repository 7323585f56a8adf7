using DsrPortal.Features.Verification;
using DsrPortal.Localization;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Tests.Features.Verification;

/// <summary>What an agent must check of a caller before a logged request opens, and how it reads afterwards.</summary>
public sealed class AgentCheckTests
{
    [Theory]
    [InlineData(AgentCheck.CodeReadBack, true, true)]
    [InlineData(AgentCheck.CalledBackOnProvenNumber | AgentCheck.KnowsAccountDetails, true, true)]
    [InlineData(AgentCheck.CalledBackOnProvenNumber, true, false)]
    [InlineData(AgentCheck.KnowsAccountDetails | AgentCheck.FromConfirmedEmail, true, false)]
    [InlineData(AgentCheck.FromConfirmedEmail, false, true)]
    [InlineData(AgentCheck.CalledBackOnProvenNumber, false, true)]
    [InlineData(AgentCheck.KnowsAccountDetails, false, false)]
    [InlineData(AgentCheck.None, false, false)]
    public void Knowledge_alone_never_suffices_and_an_export_or_deletion_needs_the_code_or_a_call_back_with_knowledge(AgentCheck checks, bool stepUp, bool enough) =>
        Assert.Equal(enough, AgentChecks.Suffice(checks, stepUp));

    [Fact]
    public void The_recorded_checks_read_in_the_agents_language_and_the_audit_codes_hold_no_words_of_the_caller()
    {
        var method = AgentChecks.Method(AgentCheck.KnowsAccountDetails | AgentCheck.CodeReadBack);
        Assert.Equal("Checked by the agent: the caller gave account details only its holder knows; the caller read back a code sent to the account's proven mobile number", method);
        Assert.Equal("KnowsAccountDetails,CodeReadBack", AgentChecks.Codes(AgentCheck.KnowsAccountDetails | AgentCheck.CodeReadBack));

        var localizer = new ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .Create(typeof(SharedResource));
        using (PortalCultures.Use("zh-CN"))
        {
            var chinese = AgentChecks.Describe(method, localizer);
            Assert.DoesNotContain("caller", chinese);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", chinese);
        }
    }
}
