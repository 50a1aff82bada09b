using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions.Queries.ListExecutions;

/// <summary>
/// Rewrites <c>status</c> comparisons of an execution filter so they test the reported status, as a get reads it: a
/// waiting or processing execution due longer ago than the function's timeout is <c>failed</c>, not waiting/processing.
/// The stale condition is the same one <see cref="ExecutionReporting.ReportedFailed"/> states, written as filter nodes
/// so the list runner translates it with everything else.
/// </summary>
public static class ReportedStatusFilter
{
    public static FilterNode? Rewrite(FilterNode? filter, int timeoutSeconds, DateTimeOffset now) =>
        filter is null ? null : new Rewriter(ExecutionQueryModel.Instance, now.AddSeconds(-timeoutSeconds)).Visit(filter);

    private sealed class Rewriter(IQueryModel model, DateTimeOffset dueBefore)
    {
        private readonly QueryField _status = model.Fields["status"];

        public FilterNode Visit(FilterNode node) => node switch
        {
            AndFilter and => new AndFilter([.. and.Operands.Select(Visit)]),
            OrFilter or => new OrFilter([.. or.Operands.Select(Visit)]),
            NotFilter not => new NotFilter(Visit(not.Operand)),
            FieldFilter f when f.Field == _status => Status(f),
            _ => node,
        };

        private FilterNode Status(FieldFilter filter) => filter.Operator switch
        {
            FilterOperator.Eq => Reported((ExecutionStatus)filter.Operand!),
            FilterOperator.Neq => new NotFilter(Reported((ExecutionStatus)filter.Operand!)),
            FilterOperator.In => AnyOf((IReadOnlyList<object>)filter.Operand!),
            FilterOperator.Nin => new NotFilter(AnyOf((IReadOnlyList<object>)filter.Operand!)),
            _ => filter,
        };

        private OrFilter AnyOf(IReadOnlyList<object> statuses) => new([.. statuses.Select(s => Reported((ExecutionStatus)s))]);

        private FilterNode Reported(ExecutionStatus status) => status switch
        {
            ExecutionStatus.Failed => new OrFilter([Stored(status), Stale()]),
            ExecutionStatus.Waiting or ExecutionStatus.Processing => new AndFilter([Stored(status), new NotFilter(Stale())]),
            _ => Stored(status),
        };

        private FieldFilter Stored(ExecutionStatus status) => new(_status, FilterOperator.Eq, status);

        /// <summary>Waiting or processing, and due (scheduled time, else creation) before now minus the timeout.</summary>
        private AndFilter Stale() => new(
        [
            new FieldFilter(_status, FilterOperator.In, new List<object> { ExecutionStatus.Waiting, ExecutionStatus.Processing }),
            new OrFilter(
            [
                new FieldFilter(model.Fields["scheduledAt"], FilterOperator.Lt, dueBefore),
                new AndFilter(
                [
                    new FieldFilter(model.Fields["scheduledAt"], FilterOperator.IsNull, true),
                    new FieldFilter(model.CreatedAt, FilterOperator.Lt, dueBefore),
                ]),
            ]),
        ]);
    }
}
