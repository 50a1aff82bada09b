using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>The pragmas are sent once per native connection: they must still be in force when the pool hands it out again.</summary>
public sealed class SqliteConnectionPragmasTests : SqliteDatabaseTestBase
{
    private static SqliteAppDbContext Open() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(ConnectionString).AddInterceptors(new SqliteConnectionPragmas()).ConfigureWarnings(w => w.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);

    private static async Task<long> PragmaAsync(SqliteAppDbContext context, string name)
    {
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task Pragmas_WhenThePooledConnectionIsOpenedAgain_ShouldStillBeInForce()
    {
        for (var open = 1; open <= 3; open++)
        {
            await using var context = Open();
            await context.Database.OpenConnectionAsync();

            Assert.That(await PragmaAsync(context, "busy_timeout"), Is.EqualTo(10_000), $"open {open}");
            Assert.That(await PragmaAsync(context, "synchronous"), Is.EqualTo(1), $"open {open}: NORMAL");
            Assert.That(await PragmaAsync(context, "mmap_size"), Is.EqualTo(1L << 30), $"open {open}");
        }
    }
}
