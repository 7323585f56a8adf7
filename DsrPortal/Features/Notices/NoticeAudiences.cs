using System.Globalization;
using DsrPortal.Data;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.DataSources;
using DsrPortal.Features.Verification;
using Microsoft.EntityFrameworkCore;
using static DsrPortal.Localization.Refusals;

namespace DsrPortal.Features.Notices;

/// <summary>
/// Who a notice goes to: everyone, the people the portal holds a category of data for, or the accounts of a
/// pasted list of email addresses and mobile numbers (entries matching none are counted, never kept).
/// </summary>
internal sealed class NoticeAudiences(PersonalData data, PhoneIndex phoneIndex)
{
    public const int MaxListEntries = 10_000;
    private const int Batch = 1000;

    /// <summary>The accounts a notice goes to: people (never staff) whose account still has a way to reach them.</summary>
    public async Task<(IReadOnlyList<string> Recipients, int Unmatched, string? Problem, string? Detail)> ResolveAsync(
        ApplicationDbContext db, NoticeDraft draft, CancellationToken cancellationToken)
    {
        var people = SubjectAccounts.Active(db).AsNoTracking();
        switch (draft.Audience)
        {
            case NoticeAudience.Everyone:
                return (await people.OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(cancellationToken), 0, null, null);

            case NoticeAudience.HoldingCategory:
                var source = data.Sources.FirstOrDefault(s => s.Categories.Contains(draft.Category ?? ""));
                if (source is null)
                {
                    return ([], 0, Refuse("Choose the category of data the notice is about."), null);
                }

                // One count per person in the source that holds the category: a walk over the accounts, in pages.
                var holders = new List<string>();
                string? after = null;
                while (true)
                {
                    var page = await people.Where(u => after == null || string.Compare(u.Id, after) > 0)
                        .OrderBy(u => u.Id).Select(u => u.Id).Take(Batch).ToListAsync(cancellationToken);
                    foreach (var id in page)
                    {
                        if (await data.KeysAsync(id, cancellationToken) is { } keys
                            && (await source.CountAsync(keys, cancellationToken)).GetValueOrDefault(draft.Category!) > 0)
                        {
                            holders.Add(id);
                        }
                    }

                    if (page.Count < Batch)
                    {
                        return (holders, 0, null, null);
                    }

                    after = page[^1];
                }

            default:
                var entries = (draft.List ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (entries.Length == 0)
                {
                    return ([], 0, Refuse("List the email addresses or mobile numbers the notice goes to, one per line."), null);
                }

                if (entries.Length > MaxListEntries)
                {
                    return ([], 0, Refuse("A list holds at most 10,000 entries; send to a category or to everyone instead."), null);
                }

                var emails = new HashSet<string>();
                var phones = new HashSet<string>();
                for (var i = 0; i < entries.Length; i++)
                {
                    switch (Contact.Parse(entries[i]))
                    {
                        case { IsEmail: true } email:
                            emails.Add(email.Value.ToUpperInvariant());
                            break;
                        case { } phone:
                            phones.Add(await phoneIndex.OfAsync(phone.Value, cancellationToken));
                            break;
                        default:
                            // The line number only: the entry itself may be someone's address.
                            return ([], 0, Refuse("Entry {0} of the list is neither an email address nor a mainland mobile number."), (i + 1).ToString(CultureInfo.InvariantCulture));
                    }
                }

                var matched = new HashSet<string>();
                foreach (var chunk in emails.Chunk(500))
                {
                    matched.UnionWith(await people.Where(u => u.EmailConfirmed && chunk.Contains(u.NormalizedEmail!)).Select(u => u.Id).ToListAsync(cancellationToken));
                }

                foreach (var chunk in phones.Chunk(500))
                {
                    matched.UnionWith(await people.Where(u => u.PhoneNumberConfirmed && chunk.Contains(u.PhoneNumberIndex!)).Select(u => u.Id).ToListAsync(cancellationToken));
                }

                return ([.. matched.Order(StringComparer.Ordinal)], Math.Max(0, emails.Count + phones.Count - matched.Count), null, null);
        }
    }
}
