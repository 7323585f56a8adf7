using Microsoft.Extensions.Localization;

namespace DsrPortal.Features.DataSources;

/// <summary>What My data says, on the page and in the API, when it shows less than everything.</summary>
public static class MyDataNotices
{
    public static string PhoneNotProven(IStringLocalizer l) =>
        l["The mobile number on this account is not proven yet, so this shows the portal's own records only: what the company's services hold under the number appears once its owner proves it with a code sent to it."];

    /// <summary>Someone without an account who proved an email address only.</summary>
    public static string GuestWithoutPhone(IStringLocalizer l) =>
        l["This shows what the company's services hold under the email address you proved. If you also use a mobile number with the company's app, prove it too to see what they hold under the number."];

    public static string For(IStringLocalizer l, bool isGuest) => isGuest ? GuestWithoutPhone(l) : PhoneNotProven(l);
}
