namespace FunctionsPlatform.Infrastructure.Persistence.ReadModels;

/// <summary>
/// How many live (not soft-deleted) functions a workspace holds. Written only by database triggers on
/// <c>functions</c>, in the same statement as the change, so it is exact under concurrency, across instances and
/// for writes that bypass EF; the application only reads it.
/// </summary>
public sealed class WorkspaceFunctionCount
{
    public string WorkspaceId { get; private set; } = "";

    public long Live { get; private set; }
}
