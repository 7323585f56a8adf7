using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.DataSources;

/// <summary>What My data says, on the page and in the API, when it shows less than everything.</summary>
public static class MyDataNotices
{
    public static string PhoneNotProven(IStringLocalizer l) =>
        l["The mobile number on this account is not proven yet, so this shows the portal's own records only: what the company's services hold under the number appears once its owner proves it with a code sent to it."];
}
