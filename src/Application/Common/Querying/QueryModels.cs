using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Application.FunctionVersions.Queries;
using FunctionsPlatform.Application.Variables.Queries;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>The catalogue of each listable entity, by CLR type.</summary>
public static class QueryModels
{
    private static readonly Dictionary<Type, IQueryModel> ByType = new IQueryModel[]
    {
        FunctionQueryModel.Instance,
        FunctionVersionQueryModel.Instance,
        DeploymentQueryModel.Instance,
        ExecutionQueryModel.Instance,
        VariableQueryModel.Instance,
        Schemas.Queries.SchemaQueryModel.Instance,
    }.ToDictionary(m => m.EntityType);

    public static IQueryModel For<T>() => For(typeof(T));

    public static IQueryModel For(Type entityType) =>
        ByType.TryGetValue(entityType, out var model) ? model : throw new InvalidOperationException($"No query model for {entityType.Name}.");
}
