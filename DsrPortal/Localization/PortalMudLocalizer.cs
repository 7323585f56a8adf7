using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DsrPortal.Localization;

/// <summary>
/// MudBlazor's own words (a pager's "Rows per page", the "Clear" and "Close" buttons' labels) in the reader's language.
/// MudBlazor asks by its resource key ("MudDataGridPager_RowsPerPage"); the portal's Chinese table holds those keys
/// beside its own, and English keeps MudBlazor's text. LocalizationCoverageTests fails on a key of a component the
/// portal uses that has no Chinese entry.
/// </summary>
internal sealed class PortalMudLocalizer(IStringLocalizer<SharedResource> portal) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            if (PortalCultures.Current != PortalCultures.SimplifiedChinese)
            {
                return new LocalizedString(key, key, resourceNotFound: true);
            }

            var found = portal[key];
            return found.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, found.Value, resourceNotFound: false);
        }
    }
}
