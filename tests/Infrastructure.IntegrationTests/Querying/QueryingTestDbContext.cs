using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// A small context over the queried entities, mapped like the application's (times as Unix ms on SQLite, enums as
/// text, binary collation on SQL Server), so the translator is tested on real SQL without the full model.
/// </summary>
internal sealed class QueryingTestDbContext(DbContextOptions<QueryingTestDbContext> options, bool sqlServer = false) : DbContext(options)
{
    public static QueryingTestDbContext Sqlite(string path) =>
        new(new DbContextOptionsBuilder<QueryingTestDbContext>().UseSqlite($"Data Source={path}").Options);

    /// <summary>Offline: <c>ToQueryString()</c> renders SQL without opening a connection.</summary>
    public static QueryingTestDbContext SqlServerOffline() =>
        new(new DbContextOptionsBuilder<QueryingTestDbContext>().UseSqlServer("Server=none;Database=none;Trusted_Connection=False;User Id=x;Password=y").Options, sqlServer: true);

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        if (sqlServer)
        {
            builder.Properties<string>().UseCollation("Latin1_General_100_BIN2");
            builder.Properties<DateTimeOffset>().HavePrecision(3);
            builder.Properties<DateTimeOffset?>().HavePrecision(3);
        }
        else
        {
            builder.Properties<DateTimeOffset>().HaveConversion<UnixMilliseconds>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UnixMilliseconds>();
        }
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Function>(e =>
        {
            e.HasKey(f => f.Id);
            e.Property(f => f.Source).HasConversion<string>().HasMaxLength(32);
            e.Ignore(f => f.Execute).Ignore(f => f.Events).Ignore(f => f.Scopes).Ignore(f => f.ProviderBranches).Ignore(f => f.ProviderPaths).Ignore(f => f.DomainEvents);
            e.HasIndex(f => new { f.WorkspaceId, f.CreatedAt, f.Id });
        });
        model.Entity<FunctionVersion>(e =>
        {
            e.HasKey(v => v.Id);
            e.Ignore(v => v.Files).Ignore(v => v.DomainEvents);
            e.HasIndex(v => new { v.FunctionId, v.CreatedAt, v.Id });
        });
        model.Entity<Deployment>(e =>
        {
            e.HasKey(d => d.Id);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(32);
            e.Ignore(d => d.DomainEvents);
        });
        model.Entity<Execution>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(32);
            e.Ignore(x => x.RequestHeaders).Ignore(x => x.ResponseHeaders).Ignore(x => x.DomainEvents);
        });
        model.Entity<Variable>(e =>
        {
            e.HasKey(v => v.Id);
            e.Ignore(v => v.DomainEvents);
        });
    }

    private sealed class UnixMilliseconds() : ValueConverter<DateTimeOffset, long>(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
