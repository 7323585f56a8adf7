namespace DsrPortal.Tests.Infrastructure;

/// <summary>One portal on its own SQLite file for a whole test class.</summary>
public abstract class PortalFactoryFixture : IAsyncLifetime
{
    protected PortalFactoryFixture(IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? clock = null) =>
        Factory = new PortalFactory(overrides, clock);

    public PortalFactory Factory { get; }

    public Task InitializeAsync()
    {
        // Creating the server runs Program.cs: migrations and demo data happen here, once.
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
