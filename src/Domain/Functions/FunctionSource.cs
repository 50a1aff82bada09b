namespace FunctionsPlatform.Domain.Functions;

/// <summary>Where a function comes from: <c>custom | system | openapi-op</c> on the wire.</summary>
public enum FunctionSource
{
    Custom,
    System,
    OpenapiOp,
}

public static class FunctionSourceNames
{
    public static string ToWire(this FunctionSource source) => source switch
    {
        FunctionSource.Custom => "custom",
        FunctionSource.System => "system",
        FunctionSource.OpenapiOp => "openapi-op",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public static bool TryParse(string? wire, out FunctionSource source)
    {
        switch (wire)
        {
            case "custom": source = FunctionSource.Custom; return true;
            case "system": source = FunctionSource.System; return true;
            case "openapi-op": source = FunctionSource.OpenapiOp; return true;
            default: source = default; return false;
        }
    }

    public static readonly string[] All = ["custom", "system", "openapi-op"];
}
