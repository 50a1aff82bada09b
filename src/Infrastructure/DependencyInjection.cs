using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.ProxyRules;
using FunctionsPlatform.Domain.ProxyRules;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Infrastructure.Deployments;
using FunctionsPlatform.Infrastructure.DeploymentSources;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Persistence.Executions;
using FunctionsPlatform.Infrastructure.Querying;
using FunctionsPlatform.Infrastructure.Resilience;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Scheduling;
using FunctionsPlatform.Infrastructure.Security;
using FunctionsPlatform.Infrastructure.Services;
using FunctionsPlatform.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        storage.DataDirectory = Path.GetFullPath(storage.DataDirectory);
        var database = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var bootstrap = configuration.GetSection("Bootstrap").Get<BootstrapOptions>() ?? new BootstrapOptions();
        services.AddSingleton(storage);
        services.AddSingleton(database);
        services.AddSingleton(bootstrap);

        var connectionString = configuration.GetConnectionString("Functions");
        if (string.Equals(database.Provider, DatabaseOptions.SqlServer, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider=SqlServer needs ConnectionStrings:Functions.");
            }

            services.AddDbContextPool<SqlServerAppDbContext>((sp, o) => o.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure())
                .AddInterceptors(sp.GetRequiredService<VariableValueProtection>())
                .ConfigureWarnings(OneProviderPerHost));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqlServerAppDbContext>());
        }
        else if (string.Equals(database.Provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            connectionString = string.IsNullOrWhiteSpace(connectionString)
                ? $"Data Source={Path.Combine(storage.DataDirectory, "functions.db")};Pooling=True"
                : connectionString;
            services.AddDbContextPool<SqliteAppDbContext>((sp, o) => o.UseSqlite(connectionString)
                .AddInterceptors(new SqliteConnectionPragmas(), sp.GetRequiredService<VariableValueProtection>())
                .ConfigureWarnings(OneProviderPerHost));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider must be {DatabaseOptions.Sqlite} or {DatabaseOptions.SqlServer}, not '{database.Provider}'.");
        }

        services.AddDataProtection(storage);
        services.AddScoped<DbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddScoped(typeof(IReadRepository<>), typeof(EfReadRepository<>));
        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IFunctionCounts, FunctionCounts>();
        services.AddScoped<IExecutionPages, ExecutionPages>();
        // One instance: the port, and a hosted service so that stopping the host writes what is still queued.
        services.AddSingleton<WriteBehindExecutionJournal>();
        services.AddSingleton<IExecutionJournal>(sp => sp.GetRequiredService<WriteBehindExecutionJournal>());
        services.AddHostedService(sp => sp.GetRequiredService<WriteBehindExecutionJournal>());
        // Cursors stay valid across restarts: unless configured, the HMAC secret is kept beside the database.
        services.AddQuerying(configuration, () => LocalSecret(storage, "cursor.key"));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IIdGenerator, UlidIdGenerator>();
        services.AddSingleton<ITokenHasher, Sha256TokenHasher>();
        services.AddSingleton<IApiKeyAuthenticator, ApiKeyAuthenticator>();
        services.AddSingleton<IFunctionKeys, FunctionKeys>();
        services.AddSingleton<ISessionAuthenticator, SessionAuthenticator>();
        services.AddSingleton<IJsonSchemaValidator, NJsonSchemaValidator>();
        services.AddSingleton<ResiliencePipelineProvider>();
        services.AddSingleton<IBlobStorage, FileSystemBlobStorage>();
        services.AddSingleton<IHostCapacity, HostCapacity>();
        services.AddRuntime(configuration);
        services.AddScheduling(configuration);
        services.AddDeployments(configuration);
        services.AddDeploymentSources(configuration);
        services.AddSingleton(FunctionDomains(configuration));
        return services;
    }

    /// <summary><c>Domains:FunctionsDomain</c>, normalized; a value that is not a host name stops the server at start.</summary>
    private static DomainSettings FunctionDomains(IConfiguration configuration)
    {
        var settings = configuration.GetSection(DomainSettings.SectionName).Get<DomainSettings>() ?? new DomainSettings();
        settings.FunctionsDomain = ProxyRule.Normalize(settings.FunctionsDomain ?? "");
        if (settings.FunctionsDomain.Length > 0 && !ProxyRule.IsAllowed("x." + settings.FunctionsDomain, settings.FunctionsDomain))
        {
            throw new InvalidOperationException($"Domains:FunctionsDomain must be a host name such as functions.example.com (or empty), not '{settings.FunctionsDomain}'.");
        }

        return settings;
    }

    /// <summary>Data Protection keys live in <c>keys/</c> of the data directory (mode 0700), never in the database they protect.</summary>
    private static void AddDataProtection(this IServiceCollection services, StorageOptions storage)
    {
        var keys = Directory.CreateDirectory(Path.Combine(storage.DataDirectory, "keys"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        services.AddDataProtection().SetApplicationName("FunctionsPlatform").PersistKeysToFileSystem(keys);
        services.AddSingleton<VariableValueProtection>();
    }

    /// <summary>A 256-bit secret read from, or created once in, the data directory (mode 0600).</summary>
    private static byte[] LocalSecret(StorageOptions storage, string fileName)
    {
        var path = Path.Combine(storage.DataDirectory, fileName);
        if (File.Exists(path))
        {
            return Convert.FromHexString(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(storage.DataDirectory);
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToHexString(secret));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }

    /// <summary>
    /// The variable-value interceptor is a singleton of its host, so EF builds one internal service provider per host: one
    /// in production, one per test host in the test runs. That is expected, not the leak the warning guards against.
    /// </summary>
    private static void OneProviderPerHost(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder warnings) =>
        warnings.Log(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning);
}
