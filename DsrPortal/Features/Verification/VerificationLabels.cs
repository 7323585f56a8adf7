namespace DsrPortal.Features.Verification;

/// <summary>
/// How a request's requester was verified, as recorded on the request (English, the key a page
/// translates; an agent's own words for a logged call pass through as written).
/// </summary>
public static class VerificationLabels
{
    public static string Session => "Signed-in session (email confirmed, mobile number proven)";

    public static string Guardian => "Verified guardian (documents checked by an agent), signed in with a proven mobile number";

    public static string SmsCode => "Confirmed with a code sent by text message to the proven mobile number";

    public static string Authenticator => "Confirmed with a code from the requester's authenticator app";

    public static string EmailCode => "Confirmed with a code sent by email to the proven address";

    public static string GuestSession => "Made without an account, from a session opened with a code sent to the proven email address or mobile number";

    public static string CheckKnowsAccountDetails => "the caller gave account details only its holder knows";

    public static string CheckCalledBack => "called back on the account's proven mobile number";

    public static string CheckFromConfirmedEmail => "the request came from the account's confirmed email address";

    public static string CheckCodeReadBack => "the caller read back a code sent to the account's proven mobile number";

    public static string AgentConfirmed => "The subject confirmed through their own proven email address or mobile number that the authorized agent acts for them; the agent gave a signed permission";

    public static string Settlement => "Agreed in the settlement of a dispute";

    // Labels that requests made by earlier versions carry (a label is stored as written): kept here so that their
    // translations stay, and such a request still reads in the reader's language.
    public static string EarlierSession => "Signed-in session (email confirmed)";

    public static string EarlierAppSession => "Signed-in mobile app session (email confirmed)";

    public static string EarlierGuardian => "Verified guardian (documents checked by an agent)";
}
