using Pool.Sms.Otp;

namespace Pool.Sms.Tests;

public sealed class OtpExtractorTests
{
    /// <summary>The seed corpus: real verification SMS from public receive-SMS pages (a copy of shared/corpus/otp-samples.tsv).</summary>
    public static TheoryData<string, string, string> Seed() => Data(OtpCorpus.Seed);

    /// <summary>Our own cases, per language and per trap.</summary>
    public static TheoryData<string, string, string> Cases() => Data(OtpCorpus.Cases);

    [Theory]
    [MemberData(nameof(Seed))]
    public void Every_seed_message_gives_its_code_and_service(string text, string code, string service) =>
        AssertExtracts(text, code, service);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Codes_and_services_are_found_in_every_language_and_traps_are_never_taken(string text, string code, string service) =>
        AssertExtracts(text, code, service);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("会议改到下午三点")]
    public void A_message_with_neither_code_nor_service_gives_no_match(string? text) =>
        Assert.Null(OtpExtractor.Extract(text));

    [Theory]
    [InlineData("کد تایید شما: ۴۸۲۹۱۳", "482913")] // Extended Arabic-Indic (Persian)
    [InlineData("رمز التحقق الخاص بك هو ٤٨٢٩١٣", "482913")] // Arabic-Indic
    [InlineData("आपका OTP ४८२९१३ है।", "482913")] // Devanagari
    [InlineData("আপনার যাচাই কোড ৪৮২৯১৩", "482913")] // Bengali
    [InlineData("รหัส OTP ของคุณคือ ๔๘๒๙๑๓", "482913")] // Thai
    [InlineData("【测试】验证码：４８２９１３", "482913")] // full-width
    [InlineData("Your code is ४८२913", "482913")] // scripts mixed in one code
    [InlineData("ລະຫັດຂອງທ່ານແມ່ນ ໔໘໒໙໑໓", "482913")] // Lao
    [InlineData("Kodu: ၄၈၂၉၁၃", "482913")] // Myanmar
    [InlineData("Your code is \U0001D7D2\U0001D7D6\U0001D7D0\U0001D7D7\U0001D7CF\U0001D7D1", "482913")] // mathematical bold, outside the basic plane
    [InlineData("Your code is \U0001E954\U0001E958\U0001E952\U0001E959\U0001E951\U0001E953", "482913")] // Adlam
    public void Digits_of_every_decimal_script_are_read_and_the_code_is_given_in_ASCII(string text, string code) =>
        Assert.Equal(code, OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Login.gov: Your one-time code is KQXWTR. It expires in 10 minutes.", "KQXWTR")]
    [InlineData("Your Lyft code is BQTRMZ", "BQTRMZ")]
    [InlineData("Votre code de vérification est: XKCDWQ", "XKCDWQ")]
    [InlineData("ING: tu clave de operaciones es HJKWPT. No la compartas.", "HJKWPT")]
    public void A_code_of_letters_only_is_read_where_a_code_word_names_it(string text, string code) =>
        Assert.Equal(code, OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Your order SHIPPED TODAY. Track it in the APP.")]
    [InlineData("Your code is READY. Collect it at the DESK.")]
    [InlineData("WELCOME to ACME BANK. Your statement is AVAILABLE online.")]
    [InlineData("Your code has EXPIRED. Request a new one.")]
    [InlineData("PIN CHANGE REQUEST received for card XX4521.")]
    [InlineData("PASSWORD EXPIRY NOTICE: your network password expires in 3 days.")]
    public void A_capitalised_word_is_never_taken_as_a_code(string text) =>
        Assert.Null(OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Kod BLIK: 482913. Nie podawaj go nikomu.")]
    [InlineData("Code PAYLIB : 482913")]
    [InlineData("OTP EXPIRES IN 5 MINUTES. YOUR OTP IS 482913")]
    [InlineData("SBI OTP ALERT: 482913 is your OTP for login.")]
    [InlineData("Your OTP Ref: KXQP is 482913")]
    public void A_name_or_a_word_after_a_code_word_yields_to_the_code(string text) =>
        Assert.Equal("482913", OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("【办理确认提醒】尊敬的客户，您正在办理业务，验证码为【 123456 】，5分钟内有效。【中国移动】", "123456", "中国移动")]
    [InlineData("【温馨提示】您的验证码是 482913，请勿泄露。【中国联通】", "482913", "中国联通")]
    [InlineData("【京东】您的验证码是 825959。", "825959", "京东")]
    [InlineData("您的验证码是825959，5分钟内有效。【淘宝】", "825959", "淘宝")]
    [InlineData("[Web발신]\n[카카오] 인증번호 [482913]를 입력해 주세요.", "482913", "카카오")]
    public void The_service_is_the_senders_signature_at_the_start_or_the_end_not_a_topic(string text, string code, string service)
    {
        var match = OtpExtractor.Extract(text);
        Assert.Equal(code, match?.Code);
        Assert.Equal(service, match?.Service);
    }

    [Theory]
    [InlineData("SPRING SALE: use code GET15 at checkout for 15% off all week. Reply STOP to opt out.")]
    [InlineData("Domino's: Get 2 medium pizzas for $6.99 each! Use code 9193 online. Txt STOP to end.")]
    [InlineData("Tokopedia: Pakai kode HEMAT20 untuk diskon 20% s/d Rp50rb! Berlaku hingga 31/05. Ketik STOP ke 99876")]
    [InlineData("Technikland: 20 % auf alle Kopfhörer mit dem Rabattcode SPRING20. Abmelden: STOP an 81190")]
    [InlineData("【某商城】优惠码 8866，满100减20，回T退订")]
    [InlineData("Invite friends with code MARLOWE22 — you both get $5 when they send their first $5.")]
    public void A_promotion_gives_no_code(string text) =>
        Assert.Null(OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Your verification code is 604219. Ref: 88213", "604219")]
    [InlineData("Order 58213349: your OTP for delivery is 7731.", "7731")]
    [InlineData("Ticket #44812. Use code 592017 to confirm your booking.", "592017")]
    [InlineData("รหัส OTP คือ 190457 (Ref: QWBN)", "190457")]
    public void A_reference_next_to_a_code_is_never_taken_for_it(string text, string code) =>
        Assert.Equal(code, OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Card *7731: payment of 42.10 USD at CITY MARKET approved. Balance 1,204.55 USD.", null)]
    [InlineData("Login ID 5520193 (XX0917): your OTP is 640218", "640218")]
    [InlineData("Your A/c XX4471 debited INR 2,500.00 on 12-May. Avl Bal INR 18,240.50", null)]
    [InlineData("Payment of $42.10 with card ending 7731 approved.", null)]
    [InlineData("Karte ···4421: Zahlung 42,10 EUR bei REWE.", null)]
    [InlineData("Your OTP for the card ending 4421 is 590213.", "590213")]
    public void Card_tails_account_fragments_and_ids_are_never_codes(string text, string? code) =>
        Assert.Equal(code, OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Ваш код подтверждения: 4590", "4590")] // Russian
    [InlineData("Tek kullanımlık şifreniz: 482731", "482731")] // Turkish
    [InlineData("Kode OTP Anda adalah 736045. JANGAN BERIKAN KODE INI.", "736045")] // Indonesian
    [InlineData("Ma xac thuc cua ban la 5730", "5730")] // Vietnamese, unaccented
    [InlineData("Mã OTP của bạn là 802936", "802936")] // Vietnamese
    [InlineData("認証コード：482913", "482913")] // Japanese
    [InlineData("인증번호 [482913]", "482913")] // Korean
    [InlineData("Ihr Bestätigungscode lautet 482913", "482913")] // German compound
    [InlineData("Votre code de sécurité est 482913", "482913")] // French
    [InlineData("Il tuo codice OTP è 482913", "482913")] // Italian
    [InlineData("Twój kod weryfikacyjny: 482913", "482913")] // Polish
    [InlineData("Ваш код підтвердження: 482913", "482913")] // Ukrainian
    [InlineData("קוד האימות שלך הוא 482913", "482913")] // Hebrew
    [InlineData("आपका सत्यापन कोड 482913 है", "482913")] // Hindi
    [InlineData("รหัสยืนยันของคุณคือ 482913", "482913")] // Thai
    [InlineData("Vahvistuskoodisi on 640 381.", "640381")] // Finnish
    [InlineData("Msimbo wako wa uthibitisho ni 619284.", "619284")] // Swahili
    public void Code_words_are_read_in_many_languages(string text, string code) =>
        Assert.Equal(code, OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("【建设银行】您于2024年5月1日消费1000元，余额5230元。")] // local calendar and amounts
    [InlineData("تراکنش خرید: ۱,۲۵۰,۰۰۰ ریال در ۱۴۰۳/۰۲/۱۵")] // Persian calendar and rials
    [InlineData("ยอดชำระ 2,350.00 บาท วันที่ 12/05/2567")] // Thai Buddhist year
    [InlineData("Zahlung 1.234,56 EUR am 12.03.2025 um 14:05")] // European separators
    [InlineData("Rp 1.250.000 telah ditransfer pada 12/05/2024")] // Indonesian rupiah
    [InlineData("Your password was changed today at 0941. If this wasn't you, reset it in the app.")] // a time after "at"
    [InlineData("Ihr Termin am 14.06. um 1030 Uhr ist bestätigt. Code für die Tür folgt.")] // a time before "Uhr"
    [InlineData("Your security code was changed on 14 June 2025. Not you? Contact us.")] // a year after a month
    [InlineData("Your PIN was updated on 20250614. Call us if this wasn't you.")] // a date after "on"
    [InlineData("Your PIN reminder: card expires 0627. Keep it safe.")] // a date after "expires"
    public void Dates_in_local_calendars_and_amounts_with_local_separators_are_never_codes(string text) =>
        Assert.Null(OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Spent 2500 at SWIGGY. Never share your OTP.")]
    [InlineData("Never share your OTP. Spent 4500 at AMAZON on your card today.")]
    [InlineData("Paiement de 129,90 EUR chez FNAC avec votre carte se terminant par 4521. Ne communiquez jamais votre code.")]
    [InlineData("คุณได้รับเงินโอน 2500 จาก สมชาย ห้ามบอกรหัส OTP แก่ผู้อื่น")]
    [InlineData("【工商银行】您的账户于6月14日支出2500元。如有疑问请拨95588。请勿向任何人泄露验证码。")]
    [InlineData("Do not share your OTP with anyone. For help, dial 1800-1234.")]
    public void A_warning_not_to_share_a_code_names_no_number(string text) =>
        Assert.Null(OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("Your Lyft code is 482913. Reply STOP to opt out.")]
    [InlineData("Your DoorDash code is 482913. Msg&data rates may apply. Reply STOP to opt out, HELP for help.")]
    [InlineData("Your code is 482913 ! Reply STOP to opt out")]
    public void An_opt_out_footer_alone_is_no_promotion(string text) =>
        Assert.Equal("482913", OtpExtractor.Extract(text)?.Code);

    [Theory]
    [InlineData("\uFEFFYour code is 4821\uFFFE", "4821")]
    [InlineData("Ma\u0301 OTP 482913\uFFFE", "482913")]
    public void Noncharacters_never_break_the_reading(string text, string code) =>
        Assert.Equal(code, OtpExtractor.Read(text).Code);

    [Fact]
    public void A_reason_is_bounded_and_shows_no_digits_of_the_message()
    {
        var label = OtpExtractor.Read("Kunden" + string.Concat(Enumerable.Repeat("karten", 600)) + "nummer 4821 code");
        Assert.True(label.Why.Length < 200, $"reason of {label.Why.Length} characters");
        var domain = OtpExtractor.Read("Sign in\n@482913.example.com #482913");
        Assert.Equal("482913", domain.Code);
        Assert.DoesNotContain("482913", domain.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Your Telegram code is 12345", "after code word 'code'")]
    [InlineData("Sign in to Acme\n@acme.io #K7P2QX", "WebOTP line '@acme.io'")]
    [InlineData("Card *7731: payment of 42.10 USD approved.", "no code")]
    [InlineData("SPRING SALE: use code 5521 at checkout for 15% off. Reply STOP to opt out.", "no code: a promotion")]
    public void The_reading_says_which_rule_decided(string text, string why) =>
        Assert.StartsWith(why, OtpExtractor.Read(text).Why, StringComparison.Ordinal);

    [Fact]
    public void The_reason_never_carries_the_code()
    {
        foreach (var row in OtpCorpus.All)
        {
            var reading = OtpExtractor.Read(row.Text);
            if (reading.Code is { Length: >= 4 } code)
            {
                Assert.DoesNotContain(code, reading.Why, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_long_message_reads_in_bounded_time_and_gives_a_bounded_reason()
    {
        var text = string.Concat(Enumerable.Repeat("code: ", 2000)) + new string('x', 50_000);
        var reading = OtpExtractor.Read(text);
        Assert.True(reading.Why.Length < 200, $"reason of {reading.Why.Length} characters");
    }

    [Fact]
    public void Random_text_of_every_kind_never_throws_and_always_gives_a_bounded_reason()
    {
        // Digits of several scripts, brackets, colons, code words, surrogates (paired and lone), NUL, marks, emoji.
        string[] pieces =
        [
            "code", "OTP", "验证码", "رمز", "kod", ":", "：", " ", "\n", "【", "】", "[", "]", "(", ")", "-", ".", ",", "*", "XX", "#", "@",
            "0", "1", "5", "9", "٤", "۴", "४", "৪", "๔", "４", "\0", "\uD83D\uDE00", "\uD800", "\uDC00", "\u200F", "\u0301", "%", "$",
            "is", "Ref", "card", "ending", "G-", "http://x.io/", "<#>", "@a.io #", "abc", "KQXWTR", "\u3000", "\t", "\uFFFE", "\uFFFF",
            "\uFEFF", "\U0001D7D2", "at", "Uhr", "June", "never share",
        ];
        var random = new Random(20261201);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Clear();
            for (var n = random.Next(1, 40); n > 0; n--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            var reading = OtpExtractor.Read(text.ToString());
            Assert.True(reading.Why.Length is > 0 and < 200, $"reason of {reading.Why.Length} characters for: {text}");
            Assert.True(reading.Code is null || reading.Code.All(char.IsAsciiLetterOrDigit), $"code '{reading.Code}' is not ASCII letters and digits");
        }
    }

    [Fact]
    public void Only_the_first_4096_characters_are_read()
    {
        var filler = new string('x', OtpExtractor.MaxLength);
        Assert.Equal("482913", OtpExtractor.Extract("Your code is 482913. " + filler)?.Code);
        Assert.Null(OtpExtractor.Extract(filler + " Your code is 482913.")?.Code);
    }

    private static void AssertExtracts(string text, string code, string service)
    {
        var match = OtpExtractor.Extract(text);
        Assert.True(
            (match?.Code ?? "-") == code && (match?.Service ?? "-") == service,
            $"expected code '{code}' and service '{service}', got code '{match?.Code ?? "-"}' and service '{match?.Service ?? "-"}' from: {text}");
    }

    private static TheoryData<string, string, string> Data(IEnumerable<OtpCorpusRow> rows)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in rows)
        {
            data.Add(row.Text, row.Code, row.Service);
        }

        return data;
    }
}
