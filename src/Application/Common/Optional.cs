namespace FunctionsPlatform.Application.Common;

/// <summary>A PATCH field: absent (keep), or present with a value (which may be null: clear).</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static Optional<T> Absent => default;
    public static implicit operator Optional<T>(T value) => new(true, value);

    public T Or(T current) => IsSet ? Value : current;
}
