using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>
/// Words that introduce a one-time code, in Chinese, English, Russian, Spanish and Portuguese (and a few
/// more). Latin and Cyrillic words are bounded by letter lookarounds; CJK words need no boundary.
/// </summary>
internal static partial class CodeKeywords
{
    /// <summary>Every place in <paramref name="text"/> where a code keyword stands.</summary>
    public static MatchCollection In(string text) => Keyword().Matches(text);

    [GeneratedRegex(
        """
        验证码|驗證碼|校验码|校驗碼|动态码|動態碼|确认码|確認碼|认证码|認證碼|安全码|激活码|登录码|短信码|动态密码|動態密碼|验证代码|取件码|提货码
        |認証コード|確認コード|인증번호|인증코드
        |(?<![a-zA-Z])(?<!(?i:promo|discount|coupon|zip|postal|area|country|referral|invite|invitation|voucher|gift|bar|qr|source)\s)(?i:pass)?(?i:code)(?![a-zA-Z])
        |(?<![a-zA-Z])(?i:otp|pin|passcode|token)(?![a-zA-Z])
        |(?<!\p{IsCyrillic})(?i:код|пароль)
        |(?<![a-zA-Z\p{IsLatin-1Supplement}])(?i:c[óo]digo|clave|senha)(?![a-zA-Z])
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Keyword();
}
