using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings. In WAL mode <c>synchronous=NORMAL</c> is the documented safe choice: a commit no
/// longer waits for an fsync (only a power cut, not a crash, can lose the last commits). <c>busy_timeout</c> lets a
/// writer wait for the single write lock instead of failing at once. <c>mmap_size</c> lets readers take pages straight
/// from the OS page cache instead of a read() call per page into a 2 MB per-connection cache: an index walk that
/// touches thousands of pages (a bounded count with relation probes) costs ~40 % less.
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA mmap_size=1073741824;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
