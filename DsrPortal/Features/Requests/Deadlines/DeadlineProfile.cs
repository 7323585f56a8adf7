namespace DsrPortal.Features.Requests.Deadlines;

/// <summary>The legal regime whose counting rules set a request's due date.</summary>
public enum DeadlineProfile
{
    /// <summary>China's PIPL, counted per the Civil Code (Arts. 201 and 203).</summary>
    CN,

    /// <summary>The EU GDPR (Art. 12(3)), counted per Regulation 1182/71.</summary>
    GDPR,

    /// <summary>The California CCPA/CPRA regulations.</summary>
    CCPA,
}
