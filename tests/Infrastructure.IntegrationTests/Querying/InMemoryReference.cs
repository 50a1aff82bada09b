using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Infrastructure.Querying;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// The oracle: the same parsed tree run by LINQ to Objects over the seeded lists, sorted by a comparer written
/// from the contract (code-point strings, nulls placed per direction, id last), with no keyset logic at all.
/// </summary>
internal sealed class InMemoryReference(QueryingDataSet data)
{
    /// <param name="withoutDeleted">Mirror the soft-delete query filter, which EF applies to the root and to every relation subquery.</param>
    public List<T> Select<T>(IEnumerable<T> rows, Func<T, bool> scope, string? filterJson, string? orderByJson, bool withoutDeleted = false) where T : class
    {
        var model = TestQueryModels.For<T>();
        return Select(rows, scope, FilterJsonParser.Parse(filterJson, model), OrderByJsonParser.Parse(orderByJson, model), withoutDeleted);
    }

    /// <summary>The same over an already parsed filter and complete order (e.g. from Appwrite queries).</summary>
    public List<T> Select<T>(IEnumerable<T> rows, Func<T, bool> scope, FilterNode? filter, IReadOnlyList<OrderKey> order, bool withoutDeleted = false) where T : class
    {
        var related = withoutDeleted ? data.WithoutDeleted : data.ByType;
        var predicate = filter is null ? (_ => true) : new FilterTranslator(new InMemoryRelationSource(related)).Translate<T>(filter).Compile();
        var result = rows.Where(scope).Where(predicate).ToList();
        result.Sort((a, b) => Compare(a, b, order));
        return result;
    }

    public static int Compare(object a, object b, IReadOnlyList<OrderKey> order)
    {
        foreach (var key in order)
        {
            var getter = EfListQueryRunner.Getter(key.Field);
            var (x, y) = (getter(a), getter(b));
            if (x is null || y is null)
            {
                if (x is null && y is null)
                {
                    continue;
                }

                return (x is null) == key.NullsFirst ? -1 : 1;
            }

            var compared = x is string s ? CodePointComparer.CompareStrings(s, (string)y) : ((IComparable)x).CompareTo(y);
            if (compared != 0)
            {
                return key.Descending ? -compared : compared;
            }
        }

        return 0;
    }
}
