using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using FunctionsPlatform.Application.Common.Behaviours;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Executions.Commands.DeleteExecution;
using FunctionsPlatform.Application.Executions.Commands.InvokeFunction;
using FunctionsPlatform.Application.Executions.Queries.GetExecution;
using FunctionsPlatform.Application.Schemas;
using FunctionsPlatform.Application.Schemas.Commands.CreateSchema;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Api.FunctionalTests.Pipeline;

/// <summary>
/// The behaviours each request's pipeline is built from, as the running server's container resolves them: a step that
/// has nothing to do for a request (no transaction for invoke, no journal wait outside execution reads) is not built.
/// </summary>
public sealed class RequestPipelineTests
{
    private static List<Type> BehavioursOf<TRequest, TResponse>() where TRequest : IRequest<TResponse>
    {
        using var scope = TestServer.Services.CreateScope();
        return [.. scope.ServiceProvider.GetServices<IPipelineBehavior<TRequest, TResponse>>().Select(b => b.GetType().GetGenericTypeDefinition())];
    }

    [Test]
    public void Invoke_ShouldRunLoggingAuthorizationAndValidationOnly()
    {
        Assert.That(BehavioursOf<InvokeFunctionCommand, InvokeResultDto>(),
            Is.EqualTo(new[] { typeof(LoggingBehaviour<,>), typeof(AuthorizationBehaviour<,>), typeof(ValidationBehaviour<,>) }));
    }

    [Test]
    public void Command_ShouldRunInsideTheUnitOfWorkInnermost()
    {
        Assert.That(BehavioursOf<CreateSchemaCommand, SchemaDto>(),
            Is.EqualTo(new[] { typeof(LoggingBehaviour<,>), typeof(AuthorizationBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(UnitOfWorkBehaviour<,>) }));
    }

    [Test]
    public void ExecutionRead_ShouldWaitForTheJournalAfterValidation()
    {
        Assert.That(BehavioursOf<GetExecutionQuery, ExecutionDto>(),
            Is.EqualTo(new[] { typeof(LoggingBehaviour<,>), typeof(AuthorizationBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(ExecutionRecordsBehaviour<,>) }));
    }

    [Test]
    public void ExecutionDelete_ShouldWaitForTheJournalThenSaveInTheUnitOfWork()
    {
        Assert.That(BehavioursOf<DeleteExecutionCommand, string>(),
            Is.EqualTo(new[]
            {
                typeof(LoggingBehaviour<,>), typeof(AuthorizationBehaviour<,>), typeof(ValidationBehaviour<,>),
                typeof(ExecutionRecordsBehaviour<,>), typeof(UnitOfWorkBehaviour<,>),
            }));
    }
}
