using System.Diagnostics;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace FunctionsPlatform.Benchmarks.Querying;

/// <summary>
/// A migrated SQLite file with N functions (one workspace) and one version each, bulk-inserted with raw ADO.NET in one
/// transaction. Column values come from the EF model (names and value converters), so the rows are exactly what the
/// application would write. The file is reused while its recorded row count matches.
/// </summary>
internal static class BenchDatabase
{
    public const string Workspace = "ws_bench";

    private static readonly string[] Words = ["alpha", "beta", "gamma", "delta", "Zeta", "straße", "ÄRGER", "orders", "billing", "report", "sync", "mailer"];

    public static SqliteAppDbContext Open(string path) => new(Options(path));

    /// <summary>
    /// One options instance per file, as the API's context pool has: a fresh interceptor instance in new options makes
    /// EF build another internal service provider (and model), which a per-call <c>Open</c> would pay every time.
    /// </summary>
    public static DbContextOptions<SqliteAppDbContext> Options(string path) =>
        OptionsByPath.GetOrAdd(path, p => new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={p};Pooling=True").AddInterceptors(new SqliteConnectionPragmas()).Options);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DbContextOptions<SqliteAppDbContext>> OptionsByPath = new();

    public static async Task<string> EnsureAsync(int functions)
    {
        var directory = Path.Combine(Path.GetTempPath(), "functionsplatform-bench");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"querying-{functions}.db");
        if (File.Exists(path) && await RecordedRowsAsync(path) == functions && await MigrateIfCompatibleAsync(path))
        {
            Console.WriteLine($"reusing {path}");
            await AnalyzeAsync(path);
            return path;
        }

        File.Delete(path);
        var clock = Stopwatch.StartNew();
        await using (var db = Open(path))
        {
            await db.Database.MigrateAsync();
        }

        SqliteConnection.ClearAllPools();

        await SeedAsync(path, functions);
        await AnalyzeAsync(path);
        Console.WriteLine($"seeded {functions:N0} functions + versions into {path} in {clock.Elapsed.TotalSeconds:F1} s");
        return path;
    }

    /// <summary>Planner statistics for the freshly loaded (or migrated) file: the list indexes are the migrations' own.</summary>
    private static async Task AnalyzeAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Execute(connection, "ANALYZE;");
    }

    /// <summary>Applies newer migrations to a reused file; false when it was made under migrations this build no longer has.</summary>
    private static async Task<bool> MigrateIfCompatibleAsync(string path)
    {
        await using var db = Open(path);
        var known = db.Database.GetMigrations().ToHashSet();
        if (!(await db.Database.GetAppliedMigrationsAsync()).All(known.Contains))
        {
            SqliteConnection.ClearAllPools();
            return false;
        }

        await db.Database.MigrateAsync();
        return true;
    }

    private static async Task<long> RecordedRowsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM bench_meta WHERE key = 'functions'";
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync() ?? -1L, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return -1;
        }
    }

    private static async Task SeedAsync(string path, int count)
    {
        await using var db = Open(path);
        var model = db.Model;
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
        await using var transaction = connection.BeginTransaction();
        var functions = Inserter.For(model.FindEntityType(typeof(Function))!, connection, transaction);
        var versions = Inserter.For(model.FindEntityType(typeof(FunctionVersion))!, connection, transaction);
        var random = new Random(42);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            // Roughly one function a minute, with occasional equal timestamps so the id tie-breaker is exercised.
            var created = start.AddMilliseconds(i * 60_000L + (i % 7 == 0 ? 0 : random.Next(1000)));
            var id = $"fun_{i:D10}";
            var function = Function.Create(id, Workspace, $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {i}", "node-22", created,
                description: random.Next(3) == 0 ? null : Words[random.Next(Words.Length)]);
            var version = FunctionVersion.Create($"funver_{i:D10}", id, random.Next(10) == 0 ? "v2" : "v1", null, null, created);
            function.SetDefaultVersion(version, created);
            functions.Insert(function);
            versions.Insert(version);
        }

        await Execute(connection, $"CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value INTEGER); INSERT INTO bench_meta VALUES ('functions', {count});", transaction);
        await transaction.CommitAsync();
    }

    private static async Task Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A prepared INSERT for one entity type, values read and converted through the EF model.</summary>
    internal sealed class Inserter(SqliteCommand command, IProperty[] properties)
    {
        public static Inserter For(IEntityType entity, SqliteConnection connection, SqliteTransaction transaction)
        {
            var properties = entity.GetProperties().ToArray();
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""))}) " +
                $"VALUES ({string.Join(", ", properties.Select((_, i) => $"$p{i}"))})";
            for (var i = 0; i < properties.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter($"$p{i}", null));
            }

            command.Prepare();
            return new Inserter(command, properties);
        }

        public void Insert(object entity)
        {
            for (var i = 0; i < properties.Length; i++)
            {
                var property = properties[i];
                var value = property.GetGetter().GetClrValueUsingContainingEntity(entity);
                var converter = property.GetTypeMapping().Converter;
                command.Parameters[i].Value = (converter is null || value is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }
    }
}
