using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>
/// Numbers that are not codes, told by the words right around them: amounts (¥, $, €, 元, руб, R$…),
/// card tails ("尾号1234", "ending 1234"), order and tracking numbers, phone numbers named as such, dates.
/// </summary>
internal static partial class CodeTraps
{
    private const int Look = 16;

    public static bool IsTrap(string text, int start, int end)
    {
        var before = text[Math.Max(0, start - Look)..start];
        var after = text[end..Math.Min(text.Length, end + Look)];
        return TrapBefore().IsMatch(before) || TrapAfter().IsMatch(after);
    }

    /// <summary>A 4-digit number that reads as a year; taken only when a keyword points at it.</summary>
    public static bool IsYear(string code) =>
        code.Length == 4 && (code.StartsWith("19", StringComparison.Ordinal) || code.StartsWith("20", StringComparison.Ordinal));

    [GeneratedRegex(
        """
        (?:
            [¥￥$€£₽]|R\$|US\$|(?i:RMB|CNY|USD|EUR|BRL|MXN|INR|Rs\.?)
          | 尾号|尾號|尾数|尾數|末四位|末尾|后四位|(?i:ending(?:\s+(?:in|with))?|ends?\s+(?:in|with)|last\s+(?:4|four)(?:\s+digits)?|card|account|a/c|acct|terminad[ao]\s+e[mn]|final)|(?i:карт\p{L}*|сч[её]т\p{L}*)|[*•]+|[xX]{2,}
          | 订单号?|訂單號?|单号|單號|订单编号|运单号|快递单号|(?i:order(?:\s+(?:number|no\.?|id))?|pedido|заказ\p{L}*|tracking(?:\s+(?:number|no\.?))?|ref(?:erence)?(?:\s+no\.?)?|invoice|booking|no\.|nº|№)
          | 电话|電話|致电|致電|热线|熱線|客服|拨打|撥打|(?i:call|tel\.?|phone|fax|whatsapp\s+us|звоните|телефон\p{L}*|llame|ligue)
        )
        \s*[:：]?\s*[#№]?\s*$
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex TrapBefore();

    [GeneratedRegex(
        """
        ^(?:
            \s*(?:元|块|塊|円|圆|圓|积分|積分|(?i:руб\p{L}*|р\.|₽|usd|eur|rmb|cny|brl|reais|euros?|pesos?|dollars?|yuan))
          | [年月日号號時时点點]
          | \s*[%％]
        )
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex TrapAfter();
}
