using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using FunctionsPlatform.Infrastructure.Persistence;
using Respawn;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// One SQLite file database per test run, created by applying the shipped migrations (<c>MigrateAsync</c>, not
/// <c>EnsureCreated</c>, so a broken migration fails here). Respawn empties every table except the history between tests.
/// </summary>
public abstract class SqliteDatabaseTestBase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _connectionString;
    private static Respawner? _respawner;

    protected static string ConnectionString => _connectionString ?? throw new InvalidOperationException("Database not initialised.");

    [SetUp]
    public async Task ResetDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_connectionString is null)
            {
                var directory = Path.Combine(Path.GetTempPath(), "functions-it-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(directory);
                var connectionString = $"Data Source={Path.Combine(directory, "functions.db")}";
                await using (var context = CreateContext(connectionString))
                {
                    await context.Database.MigrateAsync();
                }

                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync();
                _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
                {
                    DbAdapter = DbAdapter.Sqlite,
                    TablesToIgnore = ["__EFMigrationsHistory"],
                });
                _connectionString = connectionString;
            }

            await using var reset = new SqliteConnection(_connectionString);
            await reset.OpenAsync();
            await _respawner!.ResetAsync(reset);
        }
        finally
        {
            Gate.Release();
        }
    }

    protected static SqliteAppDbContext CreateContext() => CreateContext(ConnectionString);

    private static SqliteAppDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);

    /// <summary>Adds and saves in one context, then hands back a fresh one so reads come from the database, not the tracker.</summary>
    protected static async Task SaveAsync(params object[] entities)
    {
        await using var context = CreateContext();
        context.AddRange(entities);
        await context.SaveChangesAsync();
    }
}
