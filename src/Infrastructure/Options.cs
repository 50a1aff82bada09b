namespace FunctionsPlatform.Infrastructure;

/// <summary><c>Storage:DataDirectory</c>: the SQLite file, the local secrets and code bundles live below it.</summary>
public sealed class StorageOptions
{
    public string DataDirectory { get; set; } = "data";
}

/// <summary><c>Database:*</c> and <c>ConnectionStrings:Functions</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";

    public string Provider { get; set; } = Sqlite;
    public bool MigrateOnStartup { get; set; } = true;
}

/// <summary><c>Bootstrap:*</c>: the admin key and the default workspace made on first start.</summary>
public sealed class BootstrapOptions
{
    public string? AdminKey { get; set; }
    public string WorkspaceId { get; set; } = "default";
}
