using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// SQLite's built-in <c>lower()</c> folds ASCII only, so <c>icontains</c> would differ from SQL Server's Unicode
/// <c>LOWER</c> and from the in-memory <see cref="string.ToLowerInvariant"/>. An application-defined function of the same
/// name and arity replaces the built-in on that connection; Microsoft.Data.Sqlite re-registers it on every open.
/// </summary>
public static class SqliteUnicodeFunctions
{
    private static readonly ConditionalWeakTable<SqliteConnection, object> Registered = [];

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);

    /// <summary>Registers once per connection object; a no-op on other providers.</summary>
    public static void EnsureRegistered(DbContext db)
    {
        if (db.Database.GetDbConnection() is SqliteConnection connection && !Registered.TryGetValue(connection, out _))
        {
            Register(connection);
            Registered.AddOrUpdate(connection, connection);
        }
    }
}
