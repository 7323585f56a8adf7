namespace DsrPortal.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Assets => Path.Combine(Root, "wwwroot-assets");

    public static string PortalSource => Path.Combine(Root, "DsrPortal");

    /// <summary>The portal's own build output, built in the same configuration as these tests.</summary>
    public static string PortalAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            return Path.Combine(Root, "DsrPortal", "bin", configuration, "net10.0", "DsrPortal.dll");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DsrPortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DsrPortal.sln not found above the test binaries.");
    }
}
