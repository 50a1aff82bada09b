using System.Globalization;
using System.Text;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>
/// Where a node sits in a filter (<c>filter.OR[2].name.icontains</c>). Errors name it; a valid filter never needs the
/// text, so it is only composed when an error is raised (building the string at every node cost ~10 % of a parse).
/// </summary>
internal sealed class FilterPath
{
    private readonly FilterPath? _parent;
    private readonly string? _name;
    private readonly int _index;

    private FilterPath(FilterPath? parent, string? name, int index)
    {
        _parent = parent;
        _name = name;
        _index = index;
    }

    public static FilterPath Root(string name) => new(null, name, -1);

    public FilterPath Property(string name) => new(this, name, -1);

    public FilterPath Item(int index) => new(this, null, index);

    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text);
        return text.ToString();
    }

    private void Append(StringBuilder text)
    {
        _parent?.Append(text);
        if (_name is null)
        {
            text.Append('[').Append(_index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        else
        {
            text.Append(_parent is null ? "" : ".").Append(_name);
        }
    }
}
