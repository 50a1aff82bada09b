namespace FunctionsPlatform.Api.Infrastructure;

public static class ApiLimits
{
    /// <summary>Largest request body (413 beyond): a version's files (5 MiB) plus JSON overhead; deployments upload in chunks.</summary>
    public const long MaxRequestBodyBytes = 12L * 1024 * 1024;
}
