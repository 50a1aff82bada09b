using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Application.FunctionVersions.Queries;
using FunctionsPlatform.Application.Schemas.Queries;
using FunctionsPlatform.Application.Variables.Queries;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>The catalogue of each listable entity, by CLR type, for tests generic over the entity.</summary>
internal static class TestQueryModels
{
    private static readonly Dictionary<Type, IQueryModel> ByType = new IQueryModel[]
    {
        FunctionQueryModel.Instance,
        FunctionVersionQueryModel.Instance,
        DeploymentQueryModel.Instance,
        ExecutionQueryModel.Instance,
        VariableQueryModel.Instance,
        SchemaQueryModel.Instance,
    }.ToDictionary(m => m.EntityType);

    public static QueryModel<T> For<T>() where T : class => (QueryModel<T>)ByType[typeof(T)];
}
