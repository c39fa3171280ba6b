using System.Text;
using System.Text.RegularExpressions;
using Pool.Sms.Encoding;

namespace Pool.Sms.Otp;

/// <summary>
/// Extracts the one-time code and the service name from a verification SMS in Chinese, English, Russian,
/// Spanish or Portuguese. A code next to a keyword (验证码, code, OTP, код, código, senha…) wins; the
/// WebOTP last line "@domain #code" is authoritative; a lone number in a message with no keyword is taken
/// only when it is the only one. Phone numbers, amounts, dates, card tails, order numbers and digits in
/// brand names are never codes.
/// </summary>
public static class OtpExtractor
{
    /// <summary>How far after a keyword a code may stand ("您的验证码为:", "code is: ").</summary>
    private const int ForwardReach = 32;

    /// <summary>How far before a keyword a code may stand ("979714(登录验证码)", "123456 is your Google verification code").</summary>
    private const int BackwardReach = 40;

    /// <summary>The code and service in <paramref name="text"/>, or null when it names neither.</summary>
    public static OtpMatch? Extract(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Full-width digits, colons and letters become ASCII; 【】 stay as they are.
        text = StoredText.Clean(text).Normalize(NormalizationForm.FormKC);
        var service = ServiceNames.Of(text);
        string? code;
        if (WebOtp.TryParse(text, out var domain, out var webCode))
        {
            code = webCode;
            service ??= domain;
        }
        else
        {
            code = CodeOf(text);
        }

        return code is null && service is null ? null : new OtpMatch(code, service);
    }

    private static string? CodeOf(string text)
    {
        var keywords = CodeKeywords.In(text);
        var candidates = CodeCandidates.In(text, keywords, ServiceNames.BrandSpans(text), out var numbers);
        CodeCandidate? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var score = Score(candidate, keywords);
            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        if (best is { } anchored)
        {
            return anchored.Code;
        }

        // No keyword points at a number: a lone digit code ("861282") is still a code; two numbers are a guess.
        var lone = candidates.Where(c => !c.Alphanumeric && !CodeTraps.IsYear(c.Code)).ToList();
        return lone.Count == 1 && numbers == 1 ? lone[0].Code : null;
    }

    /// <summary>Distance from the nearest keyword (a code after its keyword beats one before); int.MaxValue when none is near.</summary>
    private static int Score(CodeCandidate candidate, MatchCollection keywords)
    {
        var score = int.MaxValue;
        foreach (Match keyword in keywords)
        {
            var forward = candidate.Start - (keyword.Index + keyword.Length);
            var backward = keyword.Index - candidate.End;
            if (forward >= 0 && forward <= ForwardReach)
            {
                score = Math.Min(score, forward * 2);
            }
            else if (backward >= 0 && backward <= BackwardReach)
            {
                score = Math.Min(score, (backward * 3) + 1);
            }
        }

        return score;
    }
}
