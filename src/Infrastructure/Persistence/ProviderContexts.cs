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
}
