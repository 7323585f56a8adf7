using System.ComponentModel.DataAnnotations;

namespace DsrPortal.Features.Guardians;

public sealed class MinorOptions
{
    public const string SectionName = "Minors";

    /// <summary>Below this age a user needs a guardian's written consent (clause 6 of the demo policy: 18).</summary>
    [Range(1, 25)]
    public int AgeLimit { get; set; } = 18;

    /// <summary>
    /// Age in whole years on a given day; a birthday counts from the day itself, and someone born on
    /// 29 February has theirs on 1 March in common years.
    /// </summary>
    public static int Age(DateOnly born, DateOnly today)
    {
        var hadBirthday = today.Month > born.Month || (today.Month == born.Month && today.Day >= born.Day);
        return today.Year - born.Year - (hadBirthday ? 0 : 1);
    }

    public bool IsMinor(DateOnly? born, DateOnly today) => born is { } b && Age(b, today) < AgeLimit;
}
