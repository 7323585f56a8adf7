namespace DsrPortal.Data;

/// <summary>Field lengths shared by the entity configurations and the forms that fill them.</summary>
public static class PortalLimits
{
    public const int NicknameMaxLength = 32;
    public const int EmailMaxLength = 256;

    /// <summary>Identity's key length: every column that holds an account id.</summary>
    public const int UserIdMaxLength = 450;
    public const int PasswordMinLength = 12;
    public const int PasswordMaxLength = 128;
}
