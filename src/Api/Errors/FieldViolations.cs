using Google.Rpc;
using Grpc.Core;

namespace Pool.Api.Errors;

/// <summary>
/// Collects every problem of a request, so the client learns about all bad fields in one answer:
/// INVALID_ARGUMENT with a <c>google.rpc.BadRequest</c> whose violations name each field.
/// </summary>
public sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    public bool Any => _violations.Count > 0;

    public void Add(string field, string description) =>
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    /// <summary>Throws the INVALID_ARGUMENT answer when anything was added.</summary>
    public void ThrowIfAny()
    {
        if (!Any)
        {
            return;
        }

        var first = _violations[0];
        var more = _violations.Count > 1 ? $" (and {_violations.Count - 1} more problems)" : string.Empty;
        throw ApiErrors.Build(Code.InvalidArgument, $"{first.Field} {first.Description}{more}", new BadRequest { FieldViolations = { _violations } });
    }
}
