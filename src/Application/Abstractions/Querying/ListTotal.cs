namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>How a list produces <c>total</c>. It always counts the filtered scope, never the page.</summary>
public abstract record ListTotal
{
    /// <summary>/api default: count up to the configured cap (<c>Querying:TotalCountCap</c>).</summary>
    public static ListTotal Capped { get; } = new CountUpTo(null);

    public static ListTotal Exact { get; } = new CountAll();

    /// <summary>Appwrite <c>total=false</c>: report 0 without counting.</summary>
    public static ListTotal Skipped { get; } = new NotCounted();
}

/// <summary>
/// Count at most <paramref name="Cap"/> rows (null: the configured cap), so a list costs a bounded walk however large
/// the set; beyond it <c>total</c> is the cap and not exact (Appwrite's own cap is 5,000).
/// </summary>
public sealed record CountUpTo(int? Cap) : ListTotal;

/// <summary>Count every matching row (<c>total=exact</c>): the cost grows with the set.</summary>
public sealed record CountAll : ListTotal;

public sealed record NotCounted : ListTotal;

/// <summary>The exact size of an unfiltered scope from a maintained counter: nothing to count.</summary>
public sealed record KnownTotal(long Total) : ListTotal;
