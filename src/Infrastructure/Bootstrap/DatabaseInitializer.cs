using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Bootstrap;

/// <summary>
/// Start-up: apply migrations, make sure the admin key and the default workspace exist.
/// With no key at all and no <c>Bootstrap:AdminKey</c>, one is generated, printed once and kept in <c>data/admin.key</c> (0600).
/// </summary>
public static class DatabaseInitializer
{
    public const string AdminEmail = "admin@localhost";

    public static async Task InitializeDatabaseAsync(this IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var database = services.GetRequiredService<DatabaseOptions>();
        var storage = services.GetRequiredService<StorageOptions>();
        var bootstrap = services.GetRequiredService<BootstrapOptions>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));

        Directory.CreateDirectory(storage.DataDirectory);
        if (database.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(ct);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the single writer; the connection's busy timeout rides out short write contention.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var ids = services.GetRequiredService<IIdGenerator>();
        var hasher = services.GetRequiredService<ITokenHasher>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        var admin = await db.Users.FirstOrDefaultAsync(u => u.Email == AdminEmail, ct);
        if (admin is null)
        {
            admin = User.Create(ids.NewId(IdPrefixes.User), "Administrator", AdminEmail, isAdmin: true, now);
            db.Users.Add(admin);
        }

        string? generatedToken = null;
        if (!string.IsNullOrEmpty(bootstrap.AdminKey))
        {
            var hash = hasher.Hash(bootstrap.AdminKey);
            if (!await db.ApiKeys.AnyAsync(k => k.TokenHash == hash, ct))
            {
                db.ApiKeys.Add(ApiKey.Create(ids.NewId(IdPrefixes.ApiKey), "bootstrap admin key", hash, admin.Id, Scope.All, null, null, now));
            }
        }
        else if (!await db.ApiKeys.AnyAsync(ct))
        {
            generatedToken = hasher.NewToken();
            db.ApiKeys.Add(ApiKey.Create(ids.NewId(IdPrefixes.ApiKey), "generated admin key", hasher.Hash(generatedToken), admin.Id, Scope.All, null, null, now));
        }

        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == bootstrap.WorkspaceId, ct);
        if (workspace is null)
        {
            db.Workspaces.Add(Workspace.Create(bootstrap.WorkspaceId, "Default workspace", admin.Id, now));
        }
        else if (!workspace.HasMember(admin.Id))
        {
            workspace.AddMember(admin.Id, MembershipRole.Owner, now);
        }

        await db.SaveChangesAsync(ct);

        if (generatedToken is not null)
        {
            var keyFile = Path.Combine(storage.DataDirectory, "admin.key");
            await File.WriteAllTextAsync(keyFile, generatedToken + "\n", ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Console.WriteLine($"Admin API key: {generatedToken}");
            logger.LogInformation("Generated an admin API key; it is also in {KeyFile}", keyFile);
        }

        SqliteConnection.ClearAllPools();
    }
}
