using System.Text.RegularExpressions;
using System.Xml.Linq;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Policies;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Localization;

/// <summary>
/// Keys are the English text, so a string missing from the Chinese table silently shows in English.
/// These tests read the source the way a translator would and fail on any gap.
/// </summary>
public sealed partial class LocalizationCoverageTests
{
    private static readonly string[] DynamicKeys =
    [
        .. Enum.GetNames<Gender>(), .. Enum.GetNames<Constellation>(), .. Enum.GetNames<ConsentDecision>(),
        .. Enum.GetNames<ConsentChannel>(), .. PortalRoles.All, DsrPortal.Features.Audit.AuditRoles.System, "Error",
    ];

    private static Dictionary<string, string> Chinese() =>
        XDocument.Load(Path.Combine(RepoPaths.PortalSource, "Localization", "SharedResource.zh-CN.resx"))
            .Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    private static HashSet<string> KeysUsedInCode()
    {
        var keys = new HashSet<string>(DynamicKeys);
        var files = Directory.EnumerateFiles(RepoPaths.PortalSource, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor") || f.EndsWith(".cs")) && !f.Contains("/obj/") && !f.Contains("/bin/") && !f.Contains("/Migrations/"));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var patterns = new List<Regex> { LocalizerKey(), ErrorMessageKey(), AttributeBaseMessage(), ValidationResultMessage(), RuleMessage() };
            if (file.EndsWith("Labels.cs", StringComparison.Ordinal))
            {
                // Label tables hold nothing but keys.
                patterns.Add(LabelLiteral());
            }

            foreach (var pattern in patterns)
            {
                foreach (Match match in pattern.Matches(text))
                {
                    keys.Add(Regex.Unescape(match.Groups[1].Value));
                }
            }
        }

        return keys;
    }

    [Fact]
    public void Every_string_shown_to_people_has_a_Chinese_translation()
    {
        var chinese = Chinese();

        var missing = KeysUsedInCode().Where(k => !chinese.ContainsKey(k)).Order().ToList();

        Assert.True(missing.Count == 0, "Missing from SharedResource.zh-CN.resx:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_translation_keeps_the_placeholders_of_its_English_text()
    {
        var broken = Chinese()
            .Where(p => !Placeholders(p.Key).SetEquals(Placeholders(p.Value)) || string.IsNullOrWhiteSpace(p.Value))
            .Select(p => p.Key)
            .ToList();

        Assert.Empty(broken);
    }

    [Fact]
    public void The_Chinese_table_has_no_entries_the_code_no_longer_uses()
    {
        var used = KeysUsedInCode();

        var stale = Chinese().Keys.Where(k => !used.Contains(k)).Order().ToList();

        Assert.True(stale.Count == 0, "Unused in code, remove from SharedResource.zh-CN.resx:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void No_two_keys_differ_only_in_case()
    {
        // Resource names are case-insensitive at build time: the second of such a pair is dropped.
        var clashes = Chinese().Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(clashes);
    }

    private static HashSet<string> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Value)];

    // L in components, l where a service takes IStringLocalizer as a primary-constructor parameter.
    [GeneratedRegex(@"(?:\b(?:[Ll]|localizer)\[|\bT\()\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LocalizerKey();

    // Rules: Refuse("key"), Require(condition, "key"), Check(condition, "key"), new RequestRuleException("key"), new WorkflowError(kind, "key", ...).
    [GeneratedRegex(@"(?:\bRefuse\(\s*|\b(?:Require|Check)\((?:[^;""]|""(?:[^""\\]|\\.)*"")*?,\s*|RequestRuleException\(\s*|WorkflowErrorKind\.\w+,\s*)""((?:[^""\\]|\\.)*)""")]
    private static partial Regex RuleMessage();

    [GeneratedRegex(@"=>\s*""((?:[^""\\]|\\.)+)""")]
    private static partial Regex LabelLiteral();

    [GeneratedRegex(@"new ValidationResult\(\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ValidationResultMessage();

    [GeneratedRegex(@"ErrorMessage\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ErrorMessageKey();

    [GeneratedRegex(@":\s*base\(\s*""((?:[^""\\]|\\.)*)""\s*\)")]
    private static partial Regex AttributeBaseMessage();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
