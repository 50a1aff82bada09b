using FunctionsPlatform.Infrastructure.Persistence.Conversions;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>SQLite: the embedded default. Times are stored as Unix milliseconds so they compare and sort in SQL.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // EF writes a bool test as the bare column ("f"."System"), which SQLite cannot seek an index with (a plain
        // (System) index is only scanned end to end); it can use a partial index whose condition is that same term. System functions are few, so this index finds them (for
        // the "system functions of other workspaces" part of a list, and whether any exist) without a table scan.
        modelBuilder.Entity<Domain.Functions.Function>()
            .HasIndex(f => new { f.DeletedAt, f.CreatedAt, f.Id }, "IX_functions_System_DeletedAt_CreatedAt_Id")
            .HasFilter("\"System\"");
        Configurations.ExecutionConfiguration.AddUnfinishedIndex(modelBuilder, column => $"\"{column}\"", stringPrefix: "");
    }
}

/// <summary>SQL Server: production. Strings compare ordinally (binary collation) so a query gives the same rows as on SQLite.</summary>
public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options)
{
    public const string BinaryCollation = "Latin1_General_100_BIN2";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<string>().UseCollation(BinaryCollation);
        configurationBuilder.Properties<DateTimeOffset>().HavePrecision(3);
        configurationBuilder.Properties<DateTimeOffset?>().HavePrecision(3);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // SQL Server seeks [System] = CAST(1 AS bit) on a plain index.
        modelBuilder.Entity<Domain.Functions.Function>().HasIndex(f => f.System);
        Configurations.ExecutionConfiguration.AddUnfinishedIndex(modelBuilder, column => $"[{column}]", stringPrefix: "N");
    }
}
