using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Pool.Api.Auth;
using Pool.Contracts.Idempotency;

namespace Pool.Api.Errors;

/// <summary>
/// Makes every mutating call that carries an <c>idempotency_key</c> safe to retry: the first answer is
/// stored and a retry gets it back; the same key with other parameters is ALREADY_EXISTS. CreateLease
/// is left to the lease grains, whose ids are derived from the key.
/// </summary>
public sealed class IdempotencyInterceptor(IGrainFactory grains) : Interceptor
{
    public const string FieldName = "idempotency_key";
    public const int MaxKeyLength = 128;
    private const string SecretFieldName = "secret";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is not IMessage message || context.Method == "/pool.v1.Leases/CreateLease"
            || message.Descriptor.FindFieldByName(FieldName) is not { } field || field.Accessor.GetValue(message) is not string { Length: > 0 } key)
        {
            return await continuation(request, context);
        }

        if (key.Length > MaxKeyLength || key.Any(c => c < 0x20 || c > 0x7e))
        {
            var violations = new FieldViolations();
            violations.Add(FieldName, $"must be 1-{MaxKeyLength} printable ASCII characters");
            violations.ThrowIfAny();
        }

        var tenant = Caller.Of(context).TenantId;
        var grain = grains.GetGrain<IIdempotencyGrain>(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\n{context.Method}\n{key}"))));
        var requestHash = HashWithoutKey(message, field);
        var claim = await grain.BeginAsync(requestHash).WaitAsync(context.CancellationToken);
        switch (claim.Verdict)
        {
            case IdempotencyVerdict.Replay:
                var replayed = Activator.CreateInstance<TResponse>();
                ((IMessage)replayed).MergeFrom(claim.Response!);
                return replayed;
            case IdempotencyVerdict.Conflict:
                throw ApiErrors.Build(Google.Rpc.Code.AlreadyExists, $"the idempotency key '{key}' was already used for a different {context.Method.TrimStart('/')} request");
            case IdempotencyVerdict.InProgress:
                throw ApiErrors.Build(
                    Google.Rpc.Code.Unavailable,
                    $"a call with the idempotency key '{key}' is still in progress; retry shortly",
                    new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });
        }

        TResponse response;
        try
        {
            response = await continuation(request, context);
        }
        catch
        {
            await grain.AbandonAsync(requestHash);
            throw;
        }

        await grain.CompleteAsync(requestHash, Stored((IMessage)response));
        return response;
    }

    private static byte[] HashWithoutKey(IMessage message, FieldDescriptor keyField)
    {
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        keyField.Accessor.Clear(copy);
        return SHA256.HashData(copy.ToByteArray());
    }

    /// <summary>The answer as stored: a secret (a new API key) is never stored, so a replay carries none.</summary>
    private static byte[] Stored(IMessage response)
    {
        if (response.Descriptor.FindFieldByName(SecretFieldName) is not { } secret)
        {
            return response.ToByteArray();
        }

        var copy = response.Descriptor.Parser.ParseFrom(response.ToByteString());
        secret.Accessor.Clear(copy);
        return copy.ToByteArray();
    }
}
