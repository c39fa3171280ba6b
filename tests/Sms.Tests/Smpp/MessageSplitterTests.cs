using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp;

public sealed class MessageSplitterTests
{
    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Gsm7_text_goes_in_one_part_up_to_160_septets_and_in_parts_of_153_beyond(int length, int parts)
    {
        var split = MessageSplitter.Split(new string('a', length), 7);

        Assert.Equal(SmsBody.Gsm7Default, split.DataCoding);
        Assert.Equal(parts, split.Parts.Count);
        Assert.Equal(new string('a', length), string.Concat(split.Parts.Select(p => p.Text)));
        if (parts > 1)
        {
            Assert.All(split.Parts.SkipLast(1), p => Assert.Equal(6 + 153, p.ShortMessage.Length));
        }
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Ucs2_text_goes_in_one_part_up_to_70_units_and_in_parts_of_67_beyond(int length, int parts)
    {
        var text = new string('验', length);

        var split = MessageSplitter.Split(text, 7);

        Assert.Equal(SmsBody.Ucs2Coding, split.DataCoding);
        Assert.Equal(parts, split.Parts.Count);
        Assert.Equal(text, string.Concat(split.Parts.Select(p => p.Text)));
    }

    [Fact]
    public void A_single_part_has_no_header_and_carries_one_septet_per_octet()
    {
        var part = Assert.Single(MessageSplitter.Split("Code 1234 {ok}", 1).Parts);

        Assert.False(part.HasUdh);
        Assert.Equal(Gsm7.Encode("Code 1234 {ok}"), part.ShortMessage);
    }

    [Fact]
    public void Parts_carry_an_eight_bit_concatenation_header_with_reference_total_and_sequence()
    {
        var split = MessageSplitter.Split(new string('x', 200), 0xA7);

        for (var i = 0; i < split.Parts.Count; i++)
        {
            var part = split.Parts[i];
            Assert.True(part.HasUdh);
            Assert.Equal([0x05, 0x00, 0x03, 0xA7, 0x02, (byte)(i + 1)], part.ShortMessage[..6]);
            Assert.True(UserDataHeader.TryParse(part.ShortMessage, out var header, out _));
            Assert.Equal(new ConcatenationInfo(0xA7, 2, i + 1), header.Concatenation);
        }
    }

    [Fact]
    public void An_escaped_character_that_would_straddle_a_part_boundary_moves_whole_to_the_next_part()
    {
        // 152 septets then '€' (escape + 0x65): only one septet is left in part one.
        var text = new string('a', 152) + "€" + new string('b', 20);

        var split = MessageSplitter.Split(text, 1);

        Assert.Equal(new string('a', 152), split.Parts[0].Text);
        Assert.StartsWith("€", split.Parts[1].Text, StringComparison.Ordinal);
        Assert.Equal(6 + 152, split.Parts[0].ShortMessage.Length);
        Assert.NotEqual(Gsm7.Escape, split.Parts[0].ShortMessage[^1]);
    }

    [Fact]
    public void Escaped_characters_count_two_septets_toward_the_single_part_limit()
    {
        Assert.Single(MessageSplitter.Split(new string('[', 80), 1).Parts);
        Assert.Equal(2, MessageSplitter.Split(new string('[', 80) + "a", 1).Parts.Count);
    }

    [Fact]
    public void An_emoji_that_would_straddle_a_part_boundary_moves_whole_to_the_next_part()
    {
        // 66 units then a surrogate pair: the 67th unit would be a lone high surrogate.
        var text = new string('验', 66) + "😀" + new string('码', 10);

        var split = MessageSplitter.Split(text, 1);

        Assert.Equal(66, split.Parts[0].Text.Length);
        Assert.StartsWith("😀", split.Parts[1].Text, StringComparison.Ordinal);
        Assert.All(split.Parts, p => Assert.False(char.IsHighSurrogate(p.Text[^1]), "no part may end in half a surrogate pair"));
        Assert.Equal(text, string.Concat(split.Parts.Select(p => p.Text)));
    }

    [Fact]
    public void A_single_emoji_makes_the_whole_message_ucs2()
    {
        var split = MessageSplitter.Split("Your code is 1234 👍", 1);

        Assert.Equal(SmsBody.Ucs2Coding, split.DataCoding);
        Assert.Equal(Ucs2.Encode("Your code is 1234 👍"), Assert.Single(split.Parts).ShortMessage);
    }

    [Fact]
    public void Text_needing_more_than_255_parts_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MessageSplitter.Split(new string('a', 153 * 256), 1));
    }
}
