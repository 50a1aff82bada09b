namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>One sort key with explicit nulls placement (plain asc = nulls first, plain desc = nulls last).</summary>
public sealed record OrderKey(QueryField Field, bool Descending, bool NullsFirst)
{
    public static OrderKey Asc(QueryField field) => new(field, false, true);
    public static OrderKey Desc(QueryField field) => new(field, true, false);

    /// <summary>The wire direction, also used to bind cursors to the order they were made under.</summary>
    public string Direction => (Descending, NullsFirst) switch
    {
        (false, true) => "asc_nulls_first",
        (false, false) => "asc_nulls_last",
        (true, true) => "desc_nulls_first",
        (true, false) => "desc_nulls_last",
    };

    public OrderKey Reversed() => new(Field, !Descending, !NullsFirst);
}
