using System.Collections;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Where the rows of a related entity come from. The same filter tree translates against EF sets (correlated SQL
/// subqueries) or against in-memory lists (LINQ to Objects), which is what the differential tests compare.
/// </summary>
public interface IRelationSource
{
    /// <summary>Where the predicate runs: it picks string translations that mean the same thing there.</summary>
    QueryTarget Target { get; }

    /// <summary>True: rows are <see cref="IQueryable{T}"/> translated to SQL; false: <see cref="IEnumerable{T}"/> in memory.</summary>
    bool IsDatabase => Target != QueryTarget.InMemory;

    /// <summary>An expression of type <c>IQueryable&lt;T&gt;</c> (database) or <c>IEnumerable&lt;T&gt;</c> (memory).</summary>
    Expression RowsOf(Type entityType);
}

public enum QueryTarget
{
    InMemory,
    Sqlite,
    /// <summary>SQL Server (and any other relational provider): EF's LIKE translations with escaped parameters.</summary>
    SqlServer,
}

/// <summary>Related rows are <c>DbContext.Set&lt;T&gt;()</c> query roots; EF applies the entity's query filters to them.</summary>
public sealed class DbSetRelationSource(DbContext db) : IRelationSource
{
    private static readonly System.Reflection.MethodInfo SetMethod =
        typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;

    public QueryTarget Target { get; } = db.Database.IsSqlite() ? QueryTarget.Sqlite : QueryTarget.SqlServer;

    private readonly Dictionary<Type, Expression> _roots = [];

    public Expression RowsOf(Type entityType)
    {
        if (!_roots.TryGetValue(entityType, out var root))
        {
            root = ((IQueryable)SetMethod.MakeGenericMethod(entityType).Invoke(db, null)!).Expression;
            _roots[entityType] = root;
        }

        return root;
    }
}

/// <summary>Related rows are in-memory lists, keyed by entity type.</summary>
public sealed class InMemoryRelationSource(IReadOnlyDictionary<Type, IEnumerable> rows) : IRelationSource
{
    public QueryTarget Target => QueryTarget.InMemory;

    public Expression RowsOf(Type entityType) =>
        Expression.Constant(rows.TryGetValue(entityType, out var list) ? list : Array.CreateInstance(entityType, 0), typeof(IEnumerable<>).MakeGenericType(entityType));
}
