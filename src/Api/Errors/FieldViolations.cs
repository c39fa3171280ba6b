using Google.Rpc;
using Pool.Contracts.Errors;

namespace Pool.Api.Errors;

/// <summary>
/// Collects every problem of a request, so the client learns about all bad fields in one answer:
/// INVALID_ARGUMENT with a <c>google.rpc.BadRequest</c> whose violations name each field. The answer is
/// bounded whatever the request held: at most <see cref="MaxReported"/> violations, each field name and
/// description cut to a fixed length (<see cref="Echo.Bound"/>), so it stays a few kilobytes.
/// </summary>
public sealed class FieldViolations
{
    /// <summary>Violations listed in one answer; the rest are counted in the message.</summary>
    public const int MaxReported = 10;

    /// <summary>Bytes of a field name (it may hold an index: <c>numbers[9999]</c>).</summary>
    public const int MaxFieldName = 64;

    /// <summary>Bytes of one description, values quoted in it included.</summary>
    public const int MaxDescription = 200;

    private readonly List<BadRequest.Types.FieldViolation> _violations = [];
    private int _count;

    public bool Any => _count > 0;

    public void Add(string field, string description)
    {
        _count++;
        if (_violations.Count < MaxReported)
        {
            _violations.Add(new BadRequest.Types.FieldViolation { Field = Echo.Bound(field, MaxFieldName), Description = Echo.Bound(description, MaxDescription) });
        }
    }

    /// <summary>Throws the INVALID_ARGUMENT answer when anything was added.</summary>
    public void ThrowIfAny()
    {
        if (!Any)
        {
            return;
        }

        var first = _violations[0];
        var more = _count > 1 ? $" (and {_count - 1} more problems)" : string.Empty;
        throw ApiErrors.Build(Code.InvalidArgument, $"{first.Field} {first.Description}{more}", new BadRequest { FieldViolations = { _violations } });
    }
}
