using System.Linq.Expressions;

namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>An entity's field catalogue: nothing outside it is reachable from a filter or an order.</summary>
public interface IQueryModel
{
    Type EntityType { get; }
    /// <summary>Human name used in messages (e.g. <c>function</c>).</summary>
    string EntityName { get; }
    IReadOnlyDictionary<string, QueryField> Fields { get; }
    IReadOnlyDictionary<string, QueryRelation> Relations { get; }
    QueryField Id { get; }
    QueryField CreatedAt { get; }
}

/// <summary>Builder and catalogue of the fields and relations of <typeparamref name="T"/> (wire names are the /api JSON names).</summary>
public sealed class QueryModel<T> : IQueryModel where T : class
{
    private readonly Dictionary<string, QueryField> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueryRelation> _relations = new(StringComparer.Ordinal);

    public QueryModel(string entityName) => EntityName = entityName;

    public Type EntityType => typeof(T);
    public string EntityName { get; }
    public IReadOnlyDictionary<string, QueryField> Fields => _fields;
    public IReadOnlyDictionary<string, QueryRelation> Relations => _relations;
    public QueryField Id => _fields["id"];
    public QueryField CreatedAt => _fields["createdAt"];

    public QueryModel<T> String(string name, Expression<Func<T, string?>> selector, bool nullable = false, bool sortable = true) =>
        Add(new QueryField(name, FieldType.String, selector, nullable, sortable, null));

    public QueryModel<T> Number<TNumber>(string name, Expression<Func<T, TNumber>> selector, bool sortable = true) =>
        Add(new QueryField(name, FieldType.Number, selector, false, sortable, null));

    public QueryModel<T> Date(string name, Expression<Func<T, DateTimeOffset>> selector, bool sortable = true) =>
        Add(new QueryField(name, FieldType.Date, selector, false, sortable, null));

    public QueryModel<T> Date(string name, Expression<Func<T, DateTimeOffset?>> selector, bool sortable = true) =>
        Add(new QueryField(name, FieldType.Date, selector, true, sortable, null));

    public QueryModel<T> Bool(string name, Expression<Func<T, bool>> selector, bool sortable = true) =>
        Add(new QueryField(name, FieldType.Bool, selector, false, sortable, null));

    /// <summary>Enums compare by equality only and do not sort: the stored text and the CLR order differ.</summary>
    public QueryModel<T> Enum<TEnum>(string name, Expression<Func<T, TEnum>> selector, Func<TEnum, string> toWire) where TEnum : struct, Enum =>
        Add(new QueryField(name, FieldType.Enum, selector, false, false,
            System.Enum.GetValues<TEnum>().ToDictionary(v => toWire(v), v => (object)v, StringComparer.Ordinal)));

    public QueryModel<T> ToMany<TTarget>(string name, Func<IQueryModel> target, Expression<Func<T, string?>> sourceKey, Expression<Func<TTarget, string?>> targetKey)
        where TTarget : class
    {
        _relations.Add(name, new QueryRelation(name, true, typeof(TTarget), target, sourceKey, targetKey));
        return this;
    }

    public QueryModel<T> ToOne<TTarget>(string name, Func<IQueryModel> target, Expression<Func<T, string?>> sourceKey, Expression<Func<TTarget, string?>> targetKey)
        where TTarget : class
    {
        _relations.Add(name, new QueryRelation(name, false, typeof(TTarget), target, sourceKey, targetKey));
        return this;
    }

    private QueryModel<T> Add(QueryField field)
    {
        _fields.Add(field.Name, field);
        return this;
    }
}
