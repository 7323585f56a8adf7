namespace DsrPortal.Localization;

/// <summary>
/// Marker for the portal's one string table. Keys are the English text; SharedResource.zh-CN.resx
/// holds the Simplified Chinese, and a test fails when a key used in code has no translation.
/// </summary>
public sealed class SharedResource;
