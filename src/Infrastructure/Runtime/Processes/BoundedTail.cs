using System.Text;

namespace FunctionsPlatform.Infrastructure.Runtime.Processes;

/// <summary>Keeps the last few KiB written to a pipe: enough to explain a crash, bounded whatever the child writes.</summary>
internal sealed class BoundedTail(int capacity)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            if (chunk.Length >= capacity)
            {
                _text.Clear().Append(chunk[^capacity..]);
                return;
            }

            _text.Append(chunk);
            if (_text.Length > capacity)
            {
                _text.Remove(0, _text.Length - capacity);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString().Trim();
        }
    }
}
