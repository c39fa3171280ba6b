using Microsoft.Extensions.Time.Testing;
using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Encoding;

public sealed class ConcatenationBufferTests
{
    private const string From = "+447911123456";
    private const string To = "+85251234567";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(new[] { 3, 1, 2 })]
    [InlineData(new[] { 2, 3, 1 })]
    [InlineData(new[] { 1, 2, 3 })]
    public void Three_parts_in_any_order_complete_in_sequence_order(int[] arrival)
    {
        var buffer = new ConcatenationBuffer(_time);
        string[] parts = ["Your verification ", "code is ", "482913"];
        AddResult? last = null;
        for (var i = 0; i < arrival.Length; i++)
        {
            last = buffer.Add(From, To, 0xA7, 3, arrival[i], parts[arrival[i] - 1]);
            Assert.Equal(i < 2 ? PartOutcome.Accepted : PartOutcome.Completed, last.Outcome);
        }

        Assert.Equal("Your verification code is 482913", last!.Message!.Text);
        Assert.True(last.Message.IsComplete);
        Assert.Empty(last.Message.MissingParts);
        Assert.Equal(0, buffer.OpenCount);
    }

    [Fact]
    public void A_part_received_twice_is_dropped_and_reported_as_duplicate()
    {
        var buffer = new ConcatenationBuffer(_time);
        Assert.Equal(PartOutcome.Accepted, buffer.Add(From, To, 7, 2, 1, "first ").Outcome);
        Assert.Equal(PartOutcome.Duplicate, buffer.Add(From, To, 7, 2, 1, "first again ").Outcome);

        var done = buffer.Add(From, To, 7, 2, 2, "second");
        Assert.Equal("first second", done.Message!.Text);
    }

    [Fact]
    public void A_part_resent_after_its_message_completed_is_dropped_within_the_timeout()
    {
        var buffer = new ConcatenationBuffer(_time);
        buffer.Add(From, To, 7, 2, 1, "a");
        Assert.Equal(PartOutcome.Completed, buffer.Add(From, To, 7, 2, 2, "b").Outcome);

        Assert.Equal(PartOutcome.Duplicate, buffer.Add(From, To, 7, 2, 2, "b").Outcome);
        Assert.Equal(0, buffer.OpenCount);
        Assert.Empty(buffer.Expire());
    }

    [Fact]
    public void A_message_missing_a_part_is_delivered_incomplete_once_the_timeout_passes()
    {
        var buffer = new ConcatenationBuffer(_time, TimeSpan.FromSeconds(60));
        buffer.Add(From, To, 9, 3, 1, "Your code ");
        buffer.Add(From, To, 9, 3, 3, " thanks");

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(buffer.Expire());

        _time.Advance(TimeSpan.FromSeconds(1));
        var expired = Assert.Single(buffer.Expire());
        Assert.False(expired.IsComplete);
        Assert.Equal([2], expired.MissingParts);
        Assert.Equal($"Your code {ConcatenationBuffer.MissingMarker} thanks", expired.Text);
        Assert.Equal(0, buffer.OpenCount);
    }

    [Fact]
    public void SAR_parts_with_a_sixteen_bit_reference_reassemble_like_UDH_parts()
    {
        var buffer = new ConcatenationBuffer(_time);
        // sar_msg_ref_num, sar_total_segments, sar_segment_seqnum as plain ints.
        Assert.Equal(PartOutcome.Accepted, buffer.Add(From, To, reference: 0xBEEF, total: 2, sequence: 2, "world").Outcome);
        var done = buffer.Add(From, To, new ConcatenationInfo(0xBEEF, 2, 1), "hello ");
        Assert.Equal(PartOutcome.Completed, done.Outcome);
        Assert.Equal("hello world", done.Message!.Text);
        Assert.Equal(new ConcatenationKey(From, To, 0xBEEF, 2), done.Message.Key);
    }

    [Fact]
    public void Parts_with_the_same_reference_from_different_senders_are_not_mixed()
    {
        var buffer = new ConcatenationBuffer(_time);
        buffer.Add(From, To, 1, 2, 1, "A1 ");
        buffer.Add("+15550001111", To, 1, 2, 1, "B1 ");
        Assert.Equal("A1 A2", buffer.Add(From, To, 1, 2, 2, "A2").Message!.Text);
        Assert.Equal("B1 B2", buffer.Add("+15550001111", To, 1, 2, 2, "B2").Message!.Text);
    }

    [Fact]
    public void A_single_part_message_completes_at_once()
    {
        var buffer = new ConcatenationBuffer(_time);
        var result = buffer.Add(From, To, 3, 1, 1, "only");
        Assert.Equal(PartOutcome.Completed, result.Outcome);
        Assert.Equal("only", result.Message!.Text);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 0)]
    [InlineData(3, 4)]
    [InlineData(256, 1)]
    public void A_part_with_an_impossible_total_or_sequence_is_refused(int total, int sequence)
    {
        var buffer = new ConcatenationBuffer(_time);
        Assert.Equal(PartOutcome.Invalid, buffer.Add(From, To, 1, total, sequence, "x").Outcome);
        Assert.Equal(0, buffer.OpenCount);
    }

    [Fact]
    public void The_oldest_open_message_is_evicted_incomplete_when_the_cap_is_reached()
    {
        var buffer = new ConcatenationBuffer(_time, maxOpenMessages: 2);
        buffer.Add(From, To, 1, 2, 1, "one ");
        _time.Advance(TimeSpan.FromSeconds(1));
        buffer.Add(From, To, 2, 2, 1, "two ");
        _time.Advance(TimeSpan.FromSeconds(1));

        var result = buffer.Add(From, To, 3, 2, 2, "three");
        Assert.Equal(PartOutcome.Accepted, result.Outcome);
        Assert.NotNull(result.Evicted);
        Assert.Equal(1, result.Evicted.Key.Reference);
        Assert.False(result.Evicted.IsComplete);
        Assert.Equal("one " + ConcatenationBuffer.MissingMarker, result.Evicted.Text);
        Assert.Equal(2, buffer.OpenCount);
    }

    [Fact]
    public void Decoded_UDH_parts_reassemble_into_the_full_message()
    {
        var buffer = new ConcatenationBuffer(_time);
        string[] texts = ["您的验证码是", "123456，", "5分钟内有效"];
        ReassembledMessage? message = null;
        foreach (var sequence in new[] { 2, 3, 1 })
        {
            byte[] body = [0x06, 0x08, 0x04, 0x01, 0x02, 0x03, (byte)sequence, .. Ucs2.Encode(texts[sequence - 1])];
            var decoded = SmsBody.Decode(body, SmsBody.Ucs2Coding, hasUdh: true);
            Assert.Empty(decoded.Flags);
            message = buffer.Add(From, To, decoded.Header!.Concatenation!, decoded.Text!).Message ?? message;
        }

        Assert.Equal("您的验证码是123456，5分钟内有效", message!.Text);
    }
}
