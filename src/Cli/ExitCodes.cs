using Grpc.Core;

namespace Pool.Cli;

/// <summary>poolctl's exit codes, so scripts can tell "fix your input" from "try again later".</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Exhausted = 4;
    public const int Rejected = 5;
    public const int Unavailable = 6;

    public static int Of(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => Usage,
        StatusCode.NotFound => NotFound,
        StatusCode.ResourceExhausted => Exhausted,
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.PermissionDenied or StatusCode.Unauthenticated => Rejected,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        _ => Failed,
    };
}
