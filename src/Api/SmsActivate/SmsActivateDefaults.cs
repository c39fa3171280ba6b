using System.Collections.Frozen;

namespace Pool.Api.SmsActivate;

/// <summary>
/// The mapping tables Pool ships for the sms-activate protocol: the protocol's service codes and numeric
/// country ids as its public service and country tables spell them (sms-activate.org/en/api2, "Full list
/// of services" and the country table), each to Pool's service name or ISO 3166-1 country.
/// <see cref="SmsActivateOptions"/> adds to, replaces or removes entries.
/// </summary>
public static class SmsActivateDefaults
{
    /// <summary>A protocol service: the Pool service name its leases are for, and the name getServicesList shows.</summary>
    public sealed record Service(string PoolName, string DisplayName);

    /// <summary>A protocol country: its ISO code and English name.</summary>
    public sealed record Country(string Iso, string Name);

    /// <summary>The code of "any other service".</summary>
    public const string OtherService = "ot";

    public static FrozenDictionary<string, Service> ServiceEntries { get; } = new Dictionary<string, Service>(StringComparer.Ordinal)
    {
        ["am"] = new("amazon", "Amazon"),
        ["av"] = new("avito", "Avito"),
        ["dr"] = new("openai", "OpenAI / ChatGPT"),
        ["ds"] = new("discord", "Discord"),
        ["fb"] = new("facebook", "Facebook"),
        ["go"] = new("google", "Google, YouTube, Gmail"),
        ["ig"] = new("instagram", "Instagram + Threads"),
        ["kt"] = new("kakaotalk", "KakaoTalk"),
        ["lf"] = new("tiktok", "TikTok / Douyin"),
        ["mb"] = new("yahoo", "Yahoo"),
        ["me"] = new("line", "Line messenger"),
        ["mm"] = new("microsoft", "Microsoft"),
        ["nf"] = new("netflix", "Netflix"),
        ["oi"] = new("tinder", "Tinder"),
        ["ok"] = new("ok", "ok.ru"),
        ["ot"] = new("other", "Any other"),
        ["tg"] = new("telegram", "Telegram"),
        ["ts"] = new("paypal", "PayPal + eBay"),
        ["tw"] = new("twitter", "Twitter"),
        ["ub"] = new("uber", "Uber"),
        ["vi"] = new("viber", "Viber"),
        ["vk"] = new("vk", "VK.com"),
        ["wa"] = new("whatsapp", "WhatsApp"),
        ["wb"] = new("wechat", "WeChat"),
        ["ya"] = new("yandex", "Yandex / Uber"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Service code → Pool service name.</summary>
    public static FrozenDictionary<string, string> Services { get; } = ServiceEntries.ToFrozenDictionary(s => s.Key, s => s.Value.PoolName, StringComparer.Ordinal);

    public static FrozenDictionary<int, Country> Countries { get; } = new Dictionary<int, Country>
    {
        [0] = new("RU", "Russia"),
        [1] = new("UA", "Ukraine"),
        [2] = new("KZ", "Kazakhstan"),
        [3] = new("CN", "China"),
        [4] = new("PH", "Philippines"),
        [5] = new("MM", "Myanmar"),
        [6] = new("ID", "Indonesia"),
        [7] = new("MY", "Malaysia"),
        [8] = new("KE", "Kenya"),
        [10] = new("VN", "Vietnam"),
        [11] = new("KG", "Kyrgyzstan"),
        [13] = new("IL", "Israel"),
        [14] = new("HK", "Hong Kong"),
        [15] = new("PL", "Poland"),
        [16] = new("GB", "United Kingdom"),
        [19] = new("NG", "Nigeria"),
        [20] = new("MO", "Macau"),
        [21] = new("EG", "Egypt"),
        [22] = new("IN", "India"),
        [23] = new("IE", "Ireland"),
        [24] = new("KH", "Cambodia"),
        [31] = new("ZA", "South Africa"),
        [32] = new("RO", "Romania"),
        [33] = new("CO", "Colombia"),
        [34] = new("EE", "Estonia"),
        [36] = new("CA", "Canada"),
        [39] = new("AR", "Argentina"),
        [43] = new("DE", "Germany"),
        [44] = new("LT", "Lithuania"),
        [48] = new("NL", "Netherlands"),
        [50] = new("AT", "Austria"),
        [52] = new("TH", "Thailand"),
        [54] = new("MX", "Mexico"),
        [56] = new("ES", "Spain"),
        [62] = new("TR", "Turkey"),
        [63] = new("CZ", "Czech Republic"),
        [73] = new("BR", "Brazil"),
        [78] = new("FR", "France"),
        [82] = new("BE", "Belgium"),
        [86] = new("IT", "Italy"),
        [128] = new("GE", "Georgia"),
        [129] = new("GR", "Greece"),
        [172] = new("DK", "Denmark"),
        [174] = new("NO", "Norway"),
        [187] = new("US", "USA"),
    }.ToFrozenDictionary();
}
