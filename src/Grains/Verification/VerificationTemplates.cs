using System.Globalization;

namespace Pool.Grains.Verification;

/// <summary>The message that carries a code, per language; a locale Pool has no text for gets English.</summary>
public static class VerificationTemplates
{
    private static readonly Dictionary<string, string> s_templates = new(StringComparer.Ordinal)
    {
        ["en"] = "Your verification code is {0}. It expires in {1} minutes. Do not share it with anyone.",
        ["zh"] = "您的验证码是 {0}，{1} 分钟内有效。请勿告诉他人。",
        ["ru"] = "Ваш код подтверждения: {0}. Он действует {1} мин. Никому его не сообщайте.",
        ["es"] = "Tu código de verificación es {0}. Caduca en {1} minutos. No lo compartas con nadie.",
        ["pt"] = "Seu código de verificação é {0}. Ele expira em {1} minutos. Não o compartilhe com ninguém.",
    };

    /// <summary>The language Pool will write in for <paramref name="locale"/> ("pt-BR" → "pt", "xx" → "en").</summary>
    public static string LanguageOf(string? locale)
    {
        var language = (locale ?? "").Split('-', '_')[0].ToLowerInvariant();
        return s_templates.ContainsKey(language) ? language : "en";
    }

    public static string Render(string locale, string code, int minutes) =>
        string.Format(CultureInfo.InvariantCulture, s_templates[LanguageOf(locale)], code, minutes);
}
