using Grpc.Core;

namespace Pool.Cli;

/// <summary>
/// poolctl's exit codes, so scripts can tell "fix your input" from "try again later":
/// <list type="table">
/// <item><term>0</term><description>Ok: done.</description></item>
/// <item><term>1</term><description>Failed: anything else (INTERNAL, UNKNOWN, ...).</description></item>
/// <item><term>2</term><description>Usage: a bad command line or argument (INVALID_ARGUMENT, OUT_OF_RANGE); nothing was done.</description></item>
/// <item><term>3</term><description>NotFound: the pool, number, lease, tenant or key does not exist (NOT_FOUND).</description></item>
/// <item><term>4</term><description>Exhausted: no number available (RESOURCE_EXHAUSTED).</description></item>
/// <item><term>5</term><description>Rejected: not possible in the current state (FAILED_PRECONDITION, ALREADY_EXISTS).</description></item>
/// <item><term>6</term><description>Unavailable: Pool cannot be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED); retry later.</description></item>
/// <item><term>7</term><description>NotAllowed: no valid API key (UNAUTHENTICATED), or a tenant key on an operator call (PERMISSION_DENIED).</description></item>
/// </list>
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Exhausted = 4;
    public const int Rejected = 5;
    public const int Unavailable = 6;
    public const int NotAllowed = 7;

    public static int Of(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => Usage,
        StatusCode.NotFound => NotFound,
        StatusCode.ResourceExhausted => Exhausted,
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists => Rejected,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => NotAllowed,
        _ => Failed,
    };
}
