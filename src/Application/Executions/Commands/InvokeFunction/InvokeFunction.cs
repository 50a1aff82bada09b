using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Application.Schemas.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Schemas;
using FunctionsPlatform.Application.Abstractions.Messaging;
using MediatR;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Executions.Commands.InvokeFunction;

/// <summary>
/// POST /api/functions/{id}/invoke: runs a version (the default unless named) with <c>args</c> as its JSON body.
/// An <see cref="ISelfSavingCommand{TResponse}"/>, not an <see cref="ICommand{TResponse}"/>: the unit-of-work behaviour would hold a transaction
/// (on SQLite, the single write lock) open for as long as user code runs. The execution record is appended once the run
/// is over, through the <see cref="IExecutionJournal"/> (written behind the answer, in batches shared with concurrent invokes).
/// </summary>
[RequiresScope(Scope.ExecutionsWrite)]
public sealed record InvokeFunctionCommand(string FunctionId, JsonNode? Args, string? VersionId) : ISelfSavingCommand<InvokeResultDto>;

/// <summary>
/// The wire answer: <c>result</c> is the function's JSON (or text) response, <c>error</c> empty when ok. <c>errorKind</c>
/// says whose failure it was (<c>function</c>, or a platform kind such as <c>timeout</c>); <c>coldStart</c> and
/// <c>initDurationMs</c> whether the call had to start a process, and how long that took.
/// </summary>
public sealed record InvokeResultDto(bool Ok, JsonNode? Result, string Error, long DurationMs, string ErrorKind, bool ColdStart, double InitDurationMs);

internal sealed class InvokeFunctionHandler(
    IFunctionAccess access,
    IReadRepository<Function> functions,
    FunctionSnapshotCache snapshots,
    IReadRepository<FunctionVersion> versions,
    IReadRepository<Schema> schemas,
    IExecutionJournal journal,
    IJsonSchemaValidator validator,
    IRuntimeExecutor executor,
    FunctionEnvironment environment,
    IIdGenerator ids,
    ICurrentPrincipal principal,
    TimeProvider clock,
    ILogger<InvokeFunctionHandler> logger)
    : IRequestHandler<InvokeFunctionCommand, InvokeResultDto>
{
    public async Task<InvokeResultDto> Handle(InvokeFunctionCommand request, CancellationToken cancellationToken)
    {
        var function = await snapshots.FunctionAsync(request.FunctionId, () => functions.FirstOrDefaultAsync(new FunctionByIdSpec(request.FunctionId), cancellationToken))
            ?? throw FunctionAccess.NotFound(request.FunctionId);
        await access.EnsureVisibleAsync(function, cancellationToken);
        var runnable = RunnableVersion.Of(function, await VersionToRunAsync(function, request.VersionId, cancellationToken));
        var version = runnable.Version;
        var argsJson = (request.Args ?? new JsonObject()).ToJsonString();
        var inputErrors = await ValidateAsync(version.InputSchemaId, argsJson, cancellationToken);
        if (inputErrors.Count > 0)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["args"] = [.. inputErrors] });
        }

        var (run, durationMs) = await RunAsync(runnable, argsJson, cancellationToken);

        var (ok, result, error) = await InterpretAsync(run, version.OutputSchemaId, cancellationToken);
        var execution = Record(function, version, argsJson, run, error);
        ExecutionLog.Finished(logger, execution);
        // The run happened: its record is stored even if the caller has gone away meanwhile (written behind the answer).
        await journal.AppendAsync(execution);

        // A refused answer (4xx, output schema) is the function's failure; the record's kind covers the rest.
        var errorKind = ok ? ExecutionErrorKind.None
            : execution.ErrorKind == ExecutionErrorKind.None ? ExecutionErrorKind.Function : execution.ErrorKind;
        return new InvokeResultDto(ok, result, error, durationMs, errorKind.ToWire(), execution.ColdStart, execution.InitDurationMs);
    }

    private async Task<(RuntimeResult Run, long DurationMs)> RunAsync(RunnableVersion runnable, string argsJson, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var functionId = runnable.Function.Id;
        var headers = new List<KeyValuePair<string, string>> { new("content-type", "application/json") };
        var invocation = ExecutionInvocations.For(
            runnable, await environment.VariablesAsync(runnable.Function, ct),
            new RuntimeRequest("POST", "/", headers, Encoding.UTF8.GetBytes(argsJson)), runnable.SynchronousTimeoutSeconds);
        var run = await executor.ExecuteAsync(invocation, ct);
        return (run, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<FunctionVersion> VersionToRunAsync(Function function, string? versionId, CancellationToken ct)
    {
        var id = RunnableVersion.VersionIdToRun(function, versionId);
        // The function's visibility is already checked: load the version alone, by id, within this function.
        var version = await snapshots.VersionAsync(id, () => versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(id), ct))
            ?? throw FunctionVersionAccess.NotFound(id);
        if (version.FunctionId != function.Id)
        {
            // Another function's version is "not found" here: whether it exists elsewhere is nobody's business.
            throw FunctionVersionAccess.NotFound(id);
        }

        return version;
    }

    private async Task<(bool Ok, JsonNode? Result, string Error)> InterpretAsync(RuntimeResult run, string? outputSchemaId, CancellationToken ct)
    {
        if (!run.Succeeded)
        {
            var reason = run.Errors.Length > 0 ? run.Errors.Trim() : $"The function answered with status {run.StatusCode}.";
            return (false, null, reason);
        }

        var result = ParseBody(run);
        if (run.StatusCode >= 400)
        {
            return (false, result, run.Errors.Length > 0 ? run.Errors.Trim() : $"The function answered with status {run.StatusCode}.");
        }

        if (outputSchemaId is null)
        {
            return (true, result, "");
        }

        var outputErrors = await ValidateAsync(outputSchemaId, result?.ToJsonString() ?? "null", ct);
        return outputErrors.Count > 0
            ? (false, result, "The result does not match the output schema: " + string.Join(" ", outputErrors))
            : (true, result, "");
    }

    /// <summary>JSON bodies come back as JSON; anything else as a string.</summary>
    private static JsonNode? ParseBody(RuntimeResult run)
    {
        if (run.Body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(run.Body);
        }
        catch (JsonException)
        {
            return JsonValue.Create(run.BodyText);
        }
    }

    private async Task<IReadOnlyList<string>> ValidateAsync(string? schemaId, string instanceJson, CancellationToken ct)
    {
        if (schemaId is null)
        {
            return [];
        }

        // Cached with the function's snapshot (a saved change evicts it): a schema'd call costs no query per call.
        var document = await snapshots.SchemaDocumentAsync(schemaId, async () => (await schemas.FirstOrDefaultAsync(new SchemaByIdSpec(schemaId), ct))?.Document);
        return document is null ? [] : validator.Validate(document, instanceJson);
    }

    private Execution Record(Function function, FunctionVersion version, string argsJson, RuntimeResult run, string error)
    {
        var now = clock.GetUtcNow();
        var execution = Execution.Create(
            ids.NewId(IdPrefixes.Execution), function.Id, function.WorkspaceId, ExecutionTrigger.Http, "POST", "/",
            [new HeaderPair("content-type", "application/json")], argsJson, now, versionId: version.Id, createdBy: principal.UserId);
        // The function's own errors when it answered and wrote any, else why the answer was refused (status, output schema).
        var outcome = run.Outcome(run.BodyText, run.Errors);
        execution.Conclude(outcome.FunctionAnswered && run.Errors.Length > 0 ? outcome : outcome with { Errors = error }, now);
        return execution;
    }
}

internal sealed class InvokeFunctionValidator : AbstractValidator<InvokeFunctionCommand>
{
    public InvokeFunctionValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.VersionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength).When(c => c.VersionId is not null);
        RuleFor(c => c.Args).Must(a => a is null or JsonObject).WithMessage("args must be a JSON object.");
    }
}
