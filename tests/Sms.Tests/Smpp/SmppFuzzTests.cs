using System.Buffers.Binary;
using System.Diagnostics;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp;

/// <summary>
/// Every input either decodes or is refused with <see cref="SmppDecodeException"/>: no other exception,
/// no hang. Seeds are fixed so a failure reproduces; iteration counts keep the class under a few seconds.
/// </summary>
public sealed class SmppFuzzTests
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(5);

    private static readonly byte[][] s_seeds = SmppCodecTests.Samples.Select(SmppCodec.Encode).ToArray();

    [Fact]
    public void Random_bytes_decode_or_are_refused_with_a_decode_error()
    {
        var random = new Random(20261123);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20_000; i++)
        {
            var frame = new byte[random.Next(0, 300)];
            random.NextBytes(frame);
            if (frame.Length >= 4 && random.Next(2) == 0)
            {
                // Half the inputs get a consistent length so the body decoders are reached.
                BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)frame.Length);
            }

            if (frame.Length >= 8 && random.Next(2) == 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)PickCommand(random));
            }

            AssertDecodesOrIsRefused(frame, $"random input {i}");
        }

        Assert.True(clock.Elapsed < s_budget, $"random fuzzing should finish within {s_budget}; took {clock.Elapsed}");
    }

    [Fact]
    public void Mutated_valid_pdus_decode_or_are_refused_with_a_decode_error()
    {
        var random = new Random(348);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 30_000; i++)
        {
            var seed = s_seeds[random.Next(s_seeds.Length)];
            var frame = Mutate(seed, random, out var mutation);
            AssertDecodesOrIsRefused(frame, $"mutation {i} ({mutation}) of {SmppCommandIds.Name(BinaryPrimitives.ReadUInt32BigEndian(seed.AsSpan(4)))}");
        }

        Assert.True(clock.Elapsed < s_budget, $"mutation fuzzing should finish within {s_budget}; took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_frame_reader_ends_every_mutated_stream_with_pdus_decode_errors_or_a_clean_end()
    {
        var random = new Random(77);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3_000; i++)
        {
            var bytes = Enumerable.Range(0, 3).SelectMany(n => Mutate(s_seeds[random.Next(s_seeds.Length)], random, out _)).ToArray();
            var reader = new SmppFrameReader(new MemoryStream(bytes), maxCommandLength: 4096);
            var ended = false;
            for (var reads = 0; reads < 50 && !ended; reads++)
            {
                try
                {
                    ended = await reader.ReadAsync() is null;
                }
                catch (SmppDecodeException e)
                {
                    // A framing error leaves the stream out of step: a session closes there.
                    ended = !e.FrameIntact;
                }
                catch (Exception e)
                {
                    Assert.Fail($"stream {i} should give PDUs or SmppDecodeException, but threw {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(bytes)}");
                }
            }

            Assert.True(ended, $"stream {i} of three PDUs should end (cleanly or on a framing error) within fifty reads");
        }

        Assert.True(clock.Elapsed < s_budget, $"stream fuzzing should finish within {s_budget}; took {clock.Elapsed}");
    }

    private static void AssertDecodesOrIsRefused(byte[] frame, string what)
    {
        try
        {
            var pdu = SmppCodec.Decode(frame);
            Assert.Equal((uint)frame.Length, BinaryPrimitives.ReadUInt32BigEndian(frame));
            Assert.NotNull(pdu);
        }
        catch (SmppDecodeException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Field), $"{what}: the decode error should name a field: {e.Message}");
            Assert.Contains(" at offset ", e.Message, StringComparison.Ordinal);
        }
        catch (Exception e)
        {
            Assert.Fail($"{what} should decode or fail with SmppDecodeException, but threw {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(frame)}");
        }
    }

    private static byte[] Mutate(byte[] seed, Random random, out string mutation)
    {
        var frame = seed.ToArray();
        switch (random.Next(6))
        {
            case 0:
                mutation = "flip bytes";
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var at = random.Next(SmppCodec.HeaderLength, Math.Max(SmppCodec.HeaderLength + 1, frame.Length));
                    if (at < frame.Length)
                    {
                        frame[at] = (byte)random.Next(256);
                    }
                }

                return frame;
            case 1:
                mutation = "truncate, length kept";
                return frame[..random.Next(0, frame.Length)];
            case 2:
                mutation = "truncate, length fixed";
                var cut = frame[..random.Next(SmppCodec.HeaderLength, frame.Length + 1)];
                BinaryPrimitives.WriteUInt32BigEndian(cut, (uint)cut.Length);
                return cut;
            case 3:
                mutation = "huge command_length";
                BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)random.Next(frame.Length + 1, int.MaxValue));
                return frame;
            case 4:
                mutation = "small command_length";
                BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)random.Next(0, SmppCodec.HeaderLength));
                return frame;
            default:
                mutation = "zero a byte";
                frame[random.Next(frame.Length)] = 0;
                return frame;
        }
    }

    private static SmppCommandId PickCommand(Random random)
    {
        var commands = Enum.GetValues<SmppCommandId>();
        return commands[random.Next(commands.Length)];
    }
}
