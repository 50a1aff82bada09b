using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Executions.Commands.EnqueueExecution;

/// <summary>
/// An asynchronous execution: saved as a <c>waiting</c> row (or <c>scheduled</c> with <see cref="ScheduledAt"/>) that the
/// background worker claims with a lease, so a restart loses none. Runs the named version, else the default one.
/// </summary>
[RequiresScope(Scope.ExecutionsWrite)]
public sealed record EnqueueExecutionCommand(
    string FunctionId, string? VersionId, string Method, string Path, IReadOnlyList<HeaderPair> Headers, string? Body, DateTimeOffset? ScheduledAt = null)
    : ICommand<EnqueuedExecutionDto>;

public sealed record EnqueuedExecutionDto(string Id, string Status);

internal sealed class EnqueueExecutionHandler(
    IFunctionAccess functions, IRepository<Execution> executions, IIdGenerator ids, ICurrentPrincipal principal, TimeProvider clock)
    : MediatR.IRequestHandler<EnqueueExecutionCommand, EnqueuedExecutionDto>
{
    public async Task<EnqueuedExecutionDto> Handle(EnqueueExecutionCommand request, CancellationToken cancellationToken)
    {
        var function = await functions.GetVisibleAsync(request.FunctionId, cancellationToken);
        var execution = Execution.Create(
            ids.NewId(IdPrefixes.Execution), function.Id, function.WorkspaceId, request.ScheduledAt is null ? ExecutionTrigger.Http : ExecutionTrigger.Schedule,
            request.Method, request.Path, request.Headers, request.Body, clock.GetUtcNow(),
            versionId: RunnableVersion.VersionIdToRun(function, request.VersionId), scheduledAt: request.ScheduledAt, async: true, createdBy: principal.UserId);
        executions.Add(execution);
        return new EnqueuedExecutionDto(execution.Id, execution.Status.ToWire());
    }
}

internal sealed class EnqueueExecutionValidator : AbstractValidator<EnqueueExecutionCommand>
{
    public EnqueueExecutionValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.VersionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength).When(c => c.VersionId is not null);
        RuleFor(c => c.Method).NotEmpty().MaximumLength(16);
        RuleFor(c => c.Path).NotEmpty().MaximumLength(2048).Must(p => p.StartsWith('/')).WithMessage("path must start with '/'.");
    }
}
