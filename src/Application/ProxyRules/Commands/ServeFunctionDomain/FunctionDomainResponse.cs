using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.ProxyRules.Commands.ServeFunctionDomain;

/// <summary>
/// What a function's domain answers: the recorded status and headers (500 and none when the run failed before the
/// function answered), and the body's bytes exactly as the function returned them, so images and compressed data
/// arrive intact whatever the execution record keeps.
/// </summary>
public sealed record FunctionDomainResponse(int StatusCode, IReadOnlyList<HeaderPair> Headers, ReadOnlyMemory<byte> Body);
