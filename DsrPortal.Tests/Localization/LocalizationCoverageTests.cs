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

    /// <summary>MudBlazor's English table, which <see cref="DsrPortal.Localization.PortalMudLocalizer"/> translates by its keys.</summary>
    private static readonly System.Resources.ResourceManager MudBlazorText = new("MudBlazor.Resources.LanguageResource", typeof(MudBlazor.MudLocalizer).Assembly);

    /// <summary>Which of MudBlazor's key prefixes a component shows (an input's clear button is MudInput's, any form field's "Required" MudFormComponent's).</summary>
    private static readonly Dictionary<string, string[]> MudKeyPrefixes = new()
    {
        ["MudTextField"] = ["MudInput", "MudFormComponent"],
        ["MudNumericField"] = ["MudInput", "MudFormComponent"],
        ["MudSelect"] = ["MudSelect", "MudInput", "MudFormComponent"],
        ["MudDatePicker"] = ["MudBaseDatePicker", "MudFormComponent"],
        ["MudDataGrid"] = ["MudDataGrid"],
        ["MudDataGridPager"] = ["MudDataGridPager"],
        ["MudTable"] = ["MudTable", "MudTablePager"],
        ["MudAlert"] = ["MudAlert"],
        ["MudChip"] = ["MudChip"],
        ["MudDialogProvider"] = ["MudDialog"],
        ["MudSnackbarProvider"] = ["MudSnackbar"],
    };

    /// <summary>MudBlazor's keys for the components the portal's pages use: each must read in Chinese too.</summary>
    private static HashSet<string> MudBlazorKeysInUse()
    {
        var used = Directory.EnumerateFiles(RepoPaths.PortalSource, "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .SelectMany(f => MudTag().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        var prefixes = used.SelectMany(c => MudKeyPrefixes.GetValueOrDefault(c, [])).ToHashSet();
        var all = MudBlazorText.GetResourceSet(System.Globalization.CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key);
        // Filters, grouping and editing of the grid are not used: the audit grid only pages.
        return [.. all.Where(k => prefixes.Contains(k[..k.IndexOf('_', StringComparison.Ordinal)]))
            .Where(k => !k.StartsWith("MudDataGrid_", StringComparison.Ordinal) || k == "MudDataGrid_Loading")
            .Where(k => !k.StartsWith("MudTable_", StringComparison.Ordinal) || k is "MudTable_Loading" or "MudTable_SelectAllRows" or "MudTable_SelectRow")];
    }

    [Fact]
    public void MudBlazor_has_the_keys_this_test_reads()
    {
        Assert.Equal("Rows per page:", MudBlazorText.GetString("MudDataGridPager_RowsPerPage", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("MudInput_Clear", MudBlazorKeysInUse());
    }

    private static HashSet<string> KeysUsedInCode()
    {
        var keys = new HashSet<string>(DynamicKeys);
        keys.UnionWith(MudBlazorKeysInUse());
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
        // MudBlazor's keys are names, not English text: their placeholders are those of MudBlazor's English.
        var broken = Chinese()
            .Select(p => (p.Key, English: MudBlazorText.GetString(p.Key, System.Globalization.CultureInfo.InvariantCulture) ?? p.Key, Chinese: p.Value))
            .Where(p => !Placeholders(p.English).SetEquals(Placeholders(p.Chinese)) || string.IsNullOrWhiteSpace(p.Chinese))
            .Select(p => $"{p.Key}: \"{p.English}\" -> \"{p.Chinese}\"")
            .ToList();

        Assert.True(broken.Count == 0, "Placeholders differ:\n" + string.Join("\n", broken));
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

    [GeneratedRegex(@"<(Mud[A-Za-z]+)\b")]
    private static partial Regex MudTag();

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
