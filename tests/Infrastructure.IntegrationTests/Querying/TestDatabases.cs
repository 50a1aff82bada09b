using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>The application's own contexts: SQLite on a file (migrated), SQL Server offline for rendered SQL.</summary>
internal static class TestDatabases
{
    public static SqliteAppDbContext Sqlite(string path) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={path}").ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);

    /// <summary><c>ToQueryString()</c> renders SQL without opening a connection, so no server is needed.</summary>
    public static SqlServerAppDbContext SqlServerOffline() =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>().UseSqlServer("Server=none;Database=none;User Id=x;Password=y;TrustServerCertificate=True").ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);
}
