namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// <c>Querying:TotalCountCap</c>: how many matching rows a filtered list counts before it reports <c>total</c> as
/// "at least" (<c>totalExact: false</c>). The cost of a list is then bounded by the cap, not by the table.
/// </summary>
public sealed record ListTotalOptions(int Cap)
{
    public const string Setting = "Querying:TotalCountCap";
    public const int DefaultCap = 1_000;
    public const int MaxCap = 1_000_000;
}
