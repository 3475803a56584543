using System.Text;

namespace Hangar.Postgres.Checks;

/// <summary>Collects the items of one check; the check's status is its worst item's.</summary>
internal sealed class CheckBuilder(string name)
{
    private readonly StringBuilder _output = new();
    private CheckStatus _status = CheckStatus.Passing;

    public void Add(CheckStatus status, string text)
    {
        if (_output.Length > 0)
        {
            _output.Append('\n');
        }

        _output.Append(status == CheckStatus.Passing ? "[✓] " : "[✗] ").Append(text);
        if (status > _status)
        {
            _status = status;
        }
    }

    public CheckResult Build() => new(name, _status, _output.ToString());
}
