using System.Text;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Application.Deployments.Building;

/// <summary>A build's output as it comes, from several threads; only the tail that the deployment keeps is held.</summary>
internal sealed class BuildLog
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private int _version;
    private int _flushed;

    public void Append(string text)
    {
        lock (_gate)
        {
            _text.Append(text);
            if (_text.Length > Deployment.MaxBuildLogLength * 2)
            {
                _text.Remove(0, _text.Length - Deployment.MaxBuildLogLength);
            }

            _version++;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return Deployment.TailOfLogs(_text.ToString());
        }
    }

    /// <summary>The log when it changed since the last call, else null (nothing to write).</summary>
    public string? TakeChanges()
    {
        lock (_gate)
        {
            if (_version == _flushed)
            {
                return null;
            }

            _flushed = _version;
            return Deployment.TailOfLogs(_text.ToString());
        }
    }
}
