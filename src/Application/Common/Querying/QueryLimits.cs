namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>Bounds on what a client may ask for (filter depth and size, page size); each breach is a 400 naming the path.</summary>
public static class QueryLimits
{
    public const int MaxDepth = 8;
    public const int MaxNodes = 100;
    public const int MaxListValues = 100;
    public const int MaxOperandLength = 1024;
    public const int MaxOrderKeys = 10;
    /// <summary>Raw <c>filter</c>/<c>orderBy</c> text; 100 nodes of 1 KiB operands fit comfortably.</summary>
    public const int MaxInputLength = 64 * 1024;
}
