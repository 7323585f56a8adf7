using DsrPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Data;

public sealed class MigrationsTests
{
    [Fact]
    public void The_SQLite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for SqliteApplicationDbContext.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_PostgreSQL_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for PostgresApplicationDbContext.");
        Assert.Equal(
            new SqliteDesignTimeFactory().CreateDbContext([]).Database.GetMigrations().Select(Name),
            db.Database.GetMigrations().Select(Name));
    }

    // Both providers get the same migrations in the same order; only their timestamps differ.
    private static string Name(string migrationId) => migrationId[(migrationId.IndexOf('_') + 1)..];
}
