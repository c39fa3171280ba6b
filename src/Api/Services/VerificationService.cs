using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Errors;
using Pool.Contracts.Verification;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Verification: the caller's outbound verifications, handed to the verification grains.</summary>
internal sealed class VerificationService(IGrainFactory grains) : V1.Verification.VerificationBase
{
    public const string Channel = "sms";
    public const int MinCodeLength = 4;
    public const int MaxCodeLength = 10;
    public const int MaxLocaleLength = 35;
    public static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    /// <summary>The resource type a failed start names in its google.rpc.ResourceInfo.</summary>
    public const string ResourceType = "pool.v1.VerificationInfo";

    public override async Task<V1.VerificationInfo> StartVerification(StartVerificationRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        if (!E164.TryParse(request.To, out var to, out var toError))
        {
            violations.Add("to", MaskedNumberError(request.To, toError));
        }

        var channel = request.Channel.Trim().ToLowerInvariant();
        if (channel.Length > 0 && channel != Channel)
        {
            violations.Add("channel", $"{Echo.Quote(request.Channel)} is not supported; the only channel is '{Channel}'");
        }

        var locale = request.Locale.Trim();
        if (locale.Length > MaxLocaleLength || !locale.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            violations.Add("locale", $"must be a language tag such as en, zh or pt-BR: at most {MaxLocaleLength} letters, digits, '-' or '_'");
        }

        if (request.CodeLength != 0 && request.CodeLength is < MinCodeLength or > MaxCodeLength)
        {
            violations.Add("code_length", $"{request.CodeLength} is out of range: {MinCodeLength} to {MaxCodeLength} digits (0 for the default of 6)");
        }

        var ttl = request.Ttl?.ToTimeSpan();
        if (ttl is { } t && (t < MinTtl || t > MaxTtl))
        {
            violations.Add("ttl", $"{t} is out of range: a verification lasts from {MinTtl} to {MaxTtl}");
        }

        violations.ThrowIfAny();
        // With an idempotency key, a retry reaches the same verification (which answers as it did, without a second send).
        var verificationId = request.IdempotencyKey.Length > 0 ? VerificationIds.ForIdempotencyKey(tenant, request.IdempotencyKey) : VerificationIds.NewRandom();
        var grain = grains.GetGrain<IVerificationGrain>(verificationId);
        var start = new VerificationRequest(tenant, to!, Channel, locale.Length > 0 ? locale : null, request.CodeLength == 0 ? null : request.CodeLength, ttl);
        try
        {
            return (await grain.StartAsync(start, context.CancellationToken).WaitAsync(context.CancellationToken)).ToProto();
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.Unavailable)
        {
            // The code could not be sent: if the verification was recorded (as FAILED), name it so the client can look at it.
            if (await RecordedAsync(grain, tenant, context.CancellationToken) is not { } failed)
            {
                throw;
            }

            throw ApiErrors.Build(
                Google.Rpc.Code.Unavailable,
                ex.Message,
                new Google.Rpc.ResourceInfo { ResourceType = ResourceType, ResourceName = failed.VerificationId, Description = $"the verification is {failed.Status.ToProto()}" },
                new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) });
        }
    }

    public override async Task<CheckVerificationResponse> CheckVerification(CheckVerificationRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        var verificationId = VerificationId(request.VerificationId, violations);
        if (request.Code.Length is < MinCodeLength or > MaxCodeLength || !request.Code.All(char.IsAsciiDigit))
        {
            violations.Add("code", $"must be {MinCodeLength}-{MaxCodeLength} digits");
        }

        violations.ThrowIfAny();
        var result = await grains.GetGrain<IVerificationGrain>(verificationId!).CheckAsync(tenant, request.Code).WaitAsync(context.CancellationToken);
        return new CheckVerificationResponse { Valid = result.Valid, Verification = result.Verification.ToProto() };
    }

    public override async Task<V1.VerificationInfo> GetVerification(GetVerificationRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var verificationId = Validate.Required(VerificationId, request.VerificationId);
        return (await grains.GetGrain<IVerificationGrain>(verificationId).GetAsync(tenant).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<V1.VerificationInfo> CancelVerification(CancelVerificationRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var verificationId = Validate.Required(VerificationId, request.VerificationId);
        return (await grains.GetGrain<IVerificationGrain>(verificationId).CancelAsync(tenant).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<V1.VerificationInfo> ResendVerification(ResendVerificationRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var verificationId = Validate.Required(VerificationId, request.VerificationId);
        return (await grains.GetGrain<IVerificationGrain>(verificationId).ResendAsync(tenant, context.CancellationToken).WaitAsync(context.CancellationToken)).ToProto();
    }

    /// <summary>The verification, or null when it was never recorded (e.g. verification is not configured on the server).</summary>
    private static async Task<Contracts.Verification.VerificationInfo?> RecordedAsync(IVerificationGrain grain, string tenant, CancellationToken cancellationToken)
    {
        try
        {
            return await grain.GetAsync(tenant).WaitAsync(cancellationToken);
        }
        catch (PoolException)
        {
            return null;
        }
    }

    /// <summary>E.164's complaint with the input masked: a refusal never quotes a full number, with or without its '+'.</summary>
    private static string MaskedNumberError(string input, string error)
    {
        var text = input.Trim();
        return LogRedaction.MaskNumbers(text.Length > 0 ? error.Replace(text, E164.Mask(text), StringComparison.Ordinal) : error);
    }

    private static string? VerificationId(string value, FieldViolations violations)
    {
        if (VerificationIds.IsValid(value))
        {
            return value;
        }

        violations.Add("verification_id", value.Length == 0 ? "is required" : $"{Echo.Quote(value)} is not a verification id (\"ve_\" and 32 hex digits)");
        return null;
    }
}
