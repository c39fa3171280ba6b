using System.Collections.Frozen;

namespace Pool.Sms.Otp;

/// <summary>
/// The words the extractor reads, in the languages verification SMS are sent in. An entry is a lower-case
/// word ("code"), a stem that inflects ("kod*": kod, kodu, kodunuz, kodem), the tail of a compound
/// ("*code": Bestätigungscode, verificatiecode), a stem inside a word ("*رمز*": الرمز, رمزك), or a pair of
/// words ("ma_xac": unaccented Vietnamese "ma xac thuc"). Scripts written without spaces (Chinese,
/// Japanese, Korean, Thai) are matched as substrings, the longest at a place winning.
/// </summary>
internal static class OtpLexicon
{
    private static readonly string[] s_code =
    [
        // English and words shared by many languages
        "code codes pin pins passcode passcodes password token *code *password parol",
        // German, Dutch, Scandinavian
        "passwort kennwort *kode kode *kod *kennwort *passwort *wachtwoord wachtwoord lösenord *lösenord",
        // Romance
        "cod* códig* codice codici clave contraseña senha senhas",
        // Slavic, Greek, Hungarian, Romanian
        "kod* kód* код* парол* hasł* hasl* hesl* κωδ* jelsz* parola parolă parola",
        // Turkish, Indonesian, Malay, Vietnamese
        "şifre* sifre* sandi mã ma_xac ma_otp ma_kich ma_dang ma_bao ma_giao ma_xn mat_khau mật_khẩu",
        // Arabic script, Hebrew
        "*رمز* *كود* *کود* کد کدِ *کوڈ* *קוד* *סיסמ* الرقم_السري كلمة_المرور پاس_ورڈ پاس_ورد",
        // Indic
        "कोड कोड* पासवर्ड पिन কোড* পাসওয়ার্ড পিন కోడ్* ಕೋಡ್* കോഡ്* કોડ* ਕੋਡ* குறியீடு* கடவுச்சொல்* කේතය",
        // Finnish, Estonian, Baltic, Nordic definite forms, South Slavic, Caucasus, Swahili, Amharic
        "kood* *koodi *koodisi *koodin *koodia *kood *koden *koder *kodi parool parole slaptažodis kodas *kodas kods",
        "lozink* лозинк* geslo gesla şifr* msimbo nenosiri კოდ* կոդ* ኮድ",
    ];

    private static readonly string[] s_strong =
    [
        "otp otps passcode passcodes tac tan mtan smstan pushtan chiptan mobiletan smarttan phototan apptan otac 2fa",
        "ओटीपी ओ.टी.पी ওটিপি",
    ];

    private static readonly string[] s_unspacedCode =
    [
        "验证码 驗證碼 校验码 校驗碼 动态码 動態碼 确认码 確認碼 认证码 認證碼 安全码 安全碼 激活码 激活碼 登录码 登錄碼 短信码 簡訊碼 短信碼",
        "动态密码 動態密碼 动态口令 動態口令 验证代码 驗證代碼 取件码 取件碼 提货码 提貨碼 授权码 授權碼 交易码 交易碼 识别码 識別碼 随机码 隨機碼 密码 密碼 口令 校驗代碼",
        "認証コード 確認コード 認証番号 確認番号 ワンタイムパスワード パスコード 暗証番号 認証キー セキュリティコード コード 承認コード パスワード",
        "인증번호 인증코드 인증 번호 확인번호 확인코드 보안코드 비밀번호 승인코드 인증키",
        "รหัส ລະຫັດ ကုဒ် လျှို့ဝှက်နံပါတ် កូដ លេខកូដ",
    ];

    /// <summary>Words that leave no doubt a code is a one-time code (and say the message is about one).</summary>
    private static readonly string[] s_unspacedStrong =
    [
        "验证码 驗證碼 校验码 校驗碼 动态码 動態碼 动态密码 動態密碼 认证码 認證碼 短信码 驗證代碼 验证代码 认证码",
        "認証コード 確認コード 認証番号 ワンタイムパスワード 인증번호 인증코드 인증 번호 รหัสยืนยัน รหัสOTP",
    ];

    private static readonly string[] s_notOtp =
    [
        "promo promos promotional promotion discount discounts coupon coupons voucher vouchers gift referral refer invite invitation",
        "zip postal post postcode area country qr bar barcode tracking track reference ref product customer member membership",
        "pincode zone location подразделения kh khách khach booking order ticket error status source dress swift sort branch ifsc tax course pnr prenotazione reserva réservation reservation buchung buchungs rezervasyon rezerwacji rezervace бронирования",
        "rabatt gutschein aktion aktions einladungs empfehlungs geschenk kunden bestell sendungs fehler quell korting kortings actie kado cadeau",
        "rabat* kampanj presentkod promocional* promoción promocion descuento cupón cupon regalo referido invitación invitacion",
        "promoção promocao desconto cupom presente indicação indicacao convite rastreio rastreamento seguimiento rastreo",
        "sconto promozionale regalo invito postale tracciamento fiscale cliente réduction reduction parrainage suivi remise avantage",
        "promoc* poczt* polecaj* śledzenia zaproszenia slev* poštovní промо* скидк* купон* пригласит* почтов* отслежив* реферал* знижк* поштов*",
        "indirim* kupon* promosyon* davet* referans* posta* takip* hediye* diskon undangan pos resi pelacakan",
        "giảm khuyến đơn giới bưu vận giam khuyen don",
        "تخفیف پیگیری رهگیری ملی پستی معرف هدیه *خصم* *ترويج* *هدي* *دعو* *بريد* *تتبع* הנחה קופון מבצע מיקוד מעקב",
        "छूट प्रोमो कूपन ছাড়",
    ];

    /// <summary>Heads of compounds ending in a code word that are no one-time code: unicode, decode, shortcode, timecode, geocode.</summary>
    private static readonly WordSet s_otherHeads = new(["uni", "en", "de", "re", "geo", "op", "short", "long", "trans", "time", "zip", "bar", "qr", "post", "area", "dress", "source", "error", "status"]);

    private static readonly string[] s_unspacedNotOtp =
    [
        "优惠码 優惠碼 兑换码 兌換碼 邀请码 邀請碼 推荐码 推薦碼 折扣码 折扣碼 券码 券碼 提取码 提取碼 礼品码 禮品碼 优惠券 優惠券 邮编 郵編 追踪码 商品码",
        "クーポンコード プロモーションコード 招待コード 紹介コード 郵便番号 割引コード QRコード",
        "할인코드 쿠폰번호 쿠폰코드 추천인코드 초대코드 우편번호 프로모션코드",
        "รหัสส่วนลด รหัสไปรษณีย์ รหัสอ้างอิง รหัสโปรโมชั่น รหัสโปร รหัสสมาชิก รหัสพัสดุ รหัสติดตาม รหัสลูกค้า รหัสสินค้า รหัสคูปอง",
    ];

    private static readonly string[] s_label =
    [
        "biten endziffer endziffern endet endend terminant termina končiacou končiacej končící biten cardul kartou kartá dial location kh खाते card cards account accounts acct ac ending ends המסתיים המסתיימת المنتهية المنتهي ref reference order orders ticket tracking track invoice booking reservation pnr",
        "id txn transaction trans upi imps neft rrn utr phone tel call fax mobile balance bal avl amount amt total paid due",
        "customer member membership policy case claim serial model flight seat gate room ext unit apt suite zip postcode shipment",
        "parcel awb consignment loan emi cif iban swift ifsc bill receipt voucher coupon promo hotline helpline contact",
        "karte *karte konto *nummer sendung auftrag rechnung buchung referenz telefon betrag saldo kontostand",
        "carte compte commande colis référence réf facture réservation dossier tél téléphone montant solde",
        "tarjeta cuenta pedido orden envío envio referencia factura reserva teléfono telefono llame importe monto terminación terminacion terminada terminado folio",
        "cartão cartao conta encomenda rastreio referência fatura telefone ligue valor final protocolo",
        "carta conto ordine spedizione riferimento fattura prenotazione chiama importo pratica",
        "kaart pas rekening bestelling zending referentie factuur reservering telefoon bedrag",
        "kort beställning försändelse referens faktura bokning belopp",
        "kart* rachun* zamów* przesył* paczk* referencja rezerwacja kwota účet* účt* objednávk* zásilk* částka zůstatek",
        "cont contul comanda comandă colet referință rezervare suma sold kártya* száml* rendelés* csomag* hivatkozás összeg egyenleg",
        "κάρτ* λογαριασμ* παραγγελ* αποστολή τηλ τηλέφωνο ποσό υπόλοιπο",
        "карт* счет счёт счета счету заказ* отправлен* трек телефон* звоните сумма баланс остаток рахун* замовлен* посилк* відправлен* сума залишок",
        "hesab* hesap* sipariş* kargo* fatura rezervasyon tutar bakiye",
        "kartu* kad rekening akaun akun pesanan referensi rujukan tagihan telepon hubungi jumlah baki",
        "thẻ tk khoản khoan hàng thoại thoai gọi goi dư sd gd",
        "کارت حساب سفارش مرسوله پیگیری رهگیری تلفن تماس مبلغ مانده موجودی برداشت واریز ملی",
        "*بطاق* *حساب* *طلب* *شحن* *مرجع* هاتف اتصل *مبلغ* *رصيد* *כרטיס* *חשבון* הזמנה משלוח אסמכתא טלפון סכום יתרה",
        "कार्ड खाता ऑर्डर रेफ फोन फ़ोन राशि शेष কার্ড অ্যাকাউন্ট হিসাব অর্ডার ফোন ব্যালেন্স کارڈ اکاؤنٹ آرڈر فون بیلنس",
    ];

    private static readonly string[] s_unspacedLabel =
    [
        "尾号 尾號 尾数 尾數 末四位 后四位 後四位 卡号 卡號 账号 賬號 帳號 账户 賬戶 帳戶 订单号 訂單號 订单 訂單 单号 單號 运单 運單 快递 快遞 编号 編號 流水号 工号",
        "手机号 手機號 电话 電話 致电 致電 热线 熱線 客服 拨打 撥打 余额 餘額 金额 金額 消费 消費 支付 收入 支出 转账 轉賬 航班 座位",
        "カード 口座 注文番号 お問い合わせ番号 伝票番号 電話 残高 予約番号 会員番号 お客様番号",
        "카드 계좌 주문번호 송장번호 운송장 잔액 승인번호 예약번호 전화 고객센터 회원번호 문의",
        "บัตร บัญชี เลขที่ โทร ยอด คงเหลือ พัสดุ คำสั่งซื้อ อ้างอิง สาขา เงินโอน โอนเงิน",
    ];

    private static readonly string[] s_currency =
    [
        "usd eur gbp inr rs rp idr rm myr thb try tl rub uah pln czk huf ron sek nok dkk chf vnd aed sar qar kwd omr bhd egp ils nis",
        "bdt pkr lkr npr cny rmb jpy krw brl mxn ars clp cop pen php sgd hkd twd aud cad nzd zar ngn kes ghs",
        "zł zl kč kc lei ft kr грн руб* р коп dollars dollar euro euros pesos peso reais rupees rupee rupiah ringgit baht lira dong đồng",
        "yuan yen won riyal dirham dinar shekel taka złotych koruna forint leu lev tenge тенге теңге сум so'm som sum ksh kes ugx tzs rwf etb",
        "ریال تومان ريال *ريال* درهم جنيه دينار ش\"ח שקל שקלים रु रुपये रुपए টাকা روپے",
        "min mins minute minutes sec secs second seconds hour hours gb mb kb km kg",
    ];

    private static readonly string[] s_unspacedCurrency =
    [
        "元 块 塊 円 圆 圓 积分 積分 원 บาท 分钟 分鐘 秒 小时 小時 分 점",
    ];

    private static readonly string[] s_numberWord =
    [
        "no nr num number nummer numero número numer numara nomor номер số in with of en em par mit na на ב بـ ب نمبر شماره رقم מספר नंबर संख्या নম্বর",
    ];

    private static readonly string[] s_connector =
    [
        "use enter type input vul voer usa utilisez saisissez introduce digite insira wpisz введите gunakan masukkan nhập nhap girin أدخل ادخل הזן दर्ज डालें is was are ist lautet est es é è ni adalah ialah là la är er jest je este είναι это є olan هو هي است הוא היא हे है হল on ir yra е არის է",
    ];

    private static readonly string[] s_intent =
    [
        "verify verification verifying verified confirm confirmation login log sign signin signing authenticate authentication",
        "authorize authorise share disclose security secure activate activation access reset",
        "registration register onetime one_time two_factor ون_ٹائم",
        "bestätig* anmeld* verifizier* weitergeben sicherheit* vérif* confirm* connexion connecter partagez communiquez authentification",
        "verific* acceso iniciar sesión compartas compartir acesso compartilhe autentic*",
        "conferma accesso condividere autenticazione verificatie bevestig* inloggen verifier* bekräfta logga",
        "weryfik* potwierd* logowani* udostępniaj* autoryzac* ověř* potvrz* přihláš* nesdělujte",
        "verificare confirmare autentificare comunicați ellenőrz* megerősít* bejelentkez* επαλήθευσ* επιβεβαίωσ* σύνδεσ*",
        "подтвержд* подтверд* вход* авториз* сообща* никому підтвердж* вхід* повідомляйте нікому",
        "doğrula* onay* giriş* paylaş* kimseyle verifikasi konfirmasi masuk rahasiakan jangan berikan pengesahan",
        "xác xac thực thuc nhận nhan đăng nhập chia",
        "تایید تأیید ورود فعالسازی ندهید *تحقق* *تأكيد* *تفعيل* الدخول *אימות* כניסה תמסור",
        "सत्यापन लॉगिन साझा যাচাই* লগইন শেয়ার تصدیق لاگ",
    ];

    private static readonly string[] s_unspacedIntent =
    [
        "验证 驗證 登录 登錄 泄露 洩露 泄漏 告知 本人 认证 認證 注册 註冊 确认 確認 勿 转发",
        "認証 ログイン 他人 인증 로그인 확인 타인 ยืนยัน เข้าสู่ระบบ ห้าม",
    ];

    private static readonly string[] s_validity =
    [
        "valid expire expires expiring expired gültig valable valide expire válido valido vence expira válida scade geldig giltig",
        "ważn* platn* valabil érvényes ισχύει действ* дійсн* geçerli berlaku sah hiệu lực معتبر اعتبار صالح תקף वैध मान्य বৈধ",
    ];

    private static readonly string[] s_unspacedValidity =
    [
        "有效 有効 유효 มีอายุ ภายใน",
    ];

    private static readonly string[] s_optOut =
    [
        "stop txt unsubscribe optout opt baja sair abmelden désabonner desabonner désinscrire disiscriviti afmelden avregistrera rezygnacja",
        "odhlásit dezabonare leiratkozás απεγγραφή отпис* відпис* berhenti hủy huy لغو إلغاء הסרה",
    ];

    private static readonly string[] s_unspacedOptOut =
    [
        "回t 退订 退訂 拒收 수신거부 配信停止",
    ];

    private static readonly string[] s_stale =
    [
        "earlier previous old longer invalid expired ungültig abgelaufen expirado vencido expiré scaduto nieważny истек* устарел* geçersiz kadaluarsa",
    ];

    private static readonly string[] s_marketing =
    [
        "exclusive shopping gratis grátis gratuit kostenlos",
        "sale sales discount discounts coupon coupons promo promotion voucher deal deals offer offers shop checkout cashback invite invitation referral refer tienda rebajas",
        "subscribe buy rabatt gutschein angebot aktion sconto offerta promozione descuento oferta rebaja promoción cupón cupom desconto promoção",
        "réduction promotion soldes remise korting aanbieding erbjudande promocja zniżka sleva akce reducere ofertă kedvezmény akció",
        "έκπτωση προσφορά скидк* акци* знижк* акці* indirim* kampanya fırsat diskon potongan hemat giảm khuyến ưu",
        "تخفیف جشنواره *خصم* عرض *تخفيض* הנחה מבצע छूट ऑफर ছাড় অফার سیل رعایت آفر ڈسکاؤنٹ",
    ];

    private static readonly string[] s_unspacedMarketing =
    [
        "优惠 優惠 促销 促銷 特价 特價 秒杀 秒殺 满减 滿減 折扣 抢购 搶購 割引 クーポン セール 配信停止 할인 쿠폰 광고 이벤트 수신거부 ส่วนลด โปรโมชั่น ลดราคา",
    ];

    /// <summary>Every prefix and suffix stem is at least this long; stems are found by their first or last three characters.</summary>
    private const int StemKey = 3;

    private static readonly Tables s_tables = Build();

    /// <summary>What the lower-case word <paramref name="word"/> tells; <paramref name="next"/> is the word after it (for pairs).</summary>
    public static Lex Of(ReadOnlySpan<char> word, ReadOnlySpan<char> next)
    {
        var tables = s_tables;
        var lex = Lex.None;
        var pairStart = false;
        if (tables.Exact.TryGetValue(word, out var exact))
        {
            lex = exact.Lex;
            pairStart = exact.PairStart;
        }

        if (word.Length >= StemKey && Has(s_prefixPairs, word[0], word[1]) && tables.Prefix.TryGetValue(word[..StemKey], out var prefixes))
        {
            foreach (var (stem, prefix) in prefixes)
            {
                if (word.StartsWith(stem, StringComparison.Ordinal))
                {
                    lex |= prefix;
                    break;
                }
            }
        }

        if (word.Length > 4 && Has(s_suffixPairs, word[^2], word[^1]) && tables.Suffix.TryGetValue(word[^StemKey..], out var suffixes))
        {
            foreach (var (stem, suffix) in suffixes)
            {
                if (stem.Length < word.Length && word.EndsWith(stem, StringComparison.Ordinal))
                {
                    // A compound's head decides what its code is: Bestätigungscode is a code, Rabattcode is not.
                    lex |= suffix;
                    var head = word[..^stem.Length].TrimEnd('s');
                    if ((tables.Exact.TryGetValue(head, out var named) && (named.Lex & Lex.NotOtp) != 0) || s_otherHeads.Contains(head))
                    {
                        lex = (lex & ~(Lex.Code | Lex.Strong)) | Lex.NotOtp;
                    }

                    break;
                }
            }
        }

        if (word[0] >= '\u0590' && word[0] < '\u0800')
        {
            // Arabic and Hebrew words carry clitics on both sides (الرمز, رمزك, הקוד): look for the stems inside.
            for (var i = 0; i < word.Length; i++)
            {
                var c = word[i] - InfixFirst;
                if (c >= 0 && c < tables.Infix.Length && tables.Infix[c] is { } stems)
                {
                    foreach (var (stem, infix) in stems)
                    {
                        if (word[i..].StartsWith(stem, StringComparison.Ordinal))
                        {
                            lex |= infix;
                        }
                    }
                }
            }
        }

        if (pairStart && !next.IsEmpty)
        {
            foreach (var (first, second, pair) in tables.Pairs)
            {
                if (word.SequenceEqual(first) && next.StartsWith(second, StringComparison.Ordinal))
                {
                    lex |= pair;
                }
            }
        }

        return lex;
    }

    /// <summary>The entries of scripts written without spaces by their first character, longest first, each with what it tells.</summary>
    public static FrozenDictionary<char, (string Text, Lex Lex)[]> UnspacedByFirst => s_tables.Unspaced;

    /// <summary>True when some entry of the unspaced scripts starts with <paramref name="c"/> (one bit a character: most characters start none).</summary>
    public static bool MayStartUnspaced(char c) => (s_unspacedFirst[c >> 6] & (1UL << (c & 63))) != 0;

    private static readonly ulong[] s_unspacedFirst = UnspacedFirst();

    private static ulong[] UnspacedFirst()
    {
        var bits = new ulong[(char.MaxValue + 1) / 64];
        foreach (var c in s_tables.Unspaced.Keys)
        {
            bits[c >> 6] |= 1UL << (c & 63);
        }

        return bits;
    }

    private static Tables Build()
    {
        var exact = new Dictionary<string, Lex>(StringComparer.Ordinal);
        var prefix = new Dictionary<string, Lex>(StringComparer.Ordinal);
        var suffix = new Dictionary<string, Lex>(StringComparer.Ordinal);
        var infix = new Dictionary<string, Lex>(StringComparer.Ordinal);
        var pairs = new Dictionary<(string, string), Lex>();
        var unspaced = new Dictionary<string, Lex>(StringComparer.Ordinal);

        void Add(string[] lines, Lex lex)
        {
            foreach (var entry in lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                var starts = entry[0] == '*';
                var ends = entry[^1] == '*' && entry.Length > 1;
                var stem = entry.Trim('*');
                var table = (starts, ends) switch
                {
                    (true, true) => infix,
                    (true, false) => suffix,
                    (false, true) => prefix,
                    _ => exact,
                };
                if (!starts && !ends && stem.Contains('_', StringComparison.Ordinal))
                {
                    var parts = stem.Split('_');
                    pairs[(parts[0], parts[1])] = pairs.GetValueOrDefault((parts[0], parts[1])) | lex;
                    continue;
                }

                table[stem] = table.GetValueOrDefault(stem) | lex;
            }
        }

        void AddUnspaced(string[] lines, Lex lex)
        {
            foreach (var entry in lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                unspaced[entry.ToLowerInvariant()] = unspaced.GetValueOrDefault(entry.ToLowerInvariant()) | lex;
            }
        }

        Add(s_code, Lex.Code);
        Add(s_strong, Lex.Code | Lex.Strong | Lex.Intent);
        Add(s_notOtp, Lex.NotOtp);
        Add(s_label, Lex.Label);
        Add(s_currency, Lex.Currency);
        Add(s_numberWord, Lex.NumberWord);
        Add(s_connector, Lex.Connector);
        Add(s_intent, Lex.Intent);
        Add(s_marketing, Lex.Marketing);
        Add(s_validity, Lex.Validity);
        Add(s_stale, Lex.Stale);
        Add(s_optOut, Lex.OptOut);
        AddUnspaced(s_unspacedValidity, Lex.Validity);
        AddUnspaced(s_unspacedOptOut, Lex.OptOut);
        AddUnspaced(["คือ"], Lex.Connector);
        AddUnspaced(s_unspacedCode, Lex.Code);
        AddUnspaced(s_unspacedStrong, Lex.Code | Lex.Strong | Lex.Intent);
        AddUnspaced(s_unspacedNotOtp, Lex.NotOtp);
        AddUnspaced(s_unspacedLabel, Lex.Label);
        AddUnspaced(s_unspacedCurrency, Lex.Currency);
        AddUnspaced(s_unspacedIntent, Lex.Intent);
        AddUnspaced(s_unspacedMarketing, Lex.Marketing);

        // A promotion's code word is not a one-time code word, whatever else it is.
        foreach (var (text, lex) in unspaced.ToList())
        {
            if ((lex & Lex.NotOtp) != 0)
            {
                unspaced[text] = lex & ~(Lex.Code | Lex.Strong);
            }
        }

        var pairStarts = pairs.Keys.Select(k => k.Item1).ToHashSet(StringComparer.Ordinal);
        var words = exact.Keys.Concat(pairStarts).Distinct(StringComparer.Ordinal)
            .Select(w => KeyValuePair.Create(w, (exact.GetValueOrDefault(w), pairStarts.Contains(w))));
        return new Tables(
            new WordTable<(Lex, bool)>(words),
            ByKey(prefix, stem => stem[..StemKey]),
            [.. prefix.Keys],
            ByKey(suffix, stem => stem[^StemKey..]),
            [.. suffix.Keys],
            InfixByFirst(infix),
            [.. pairs.Select(p => (p.Key.Item1, p.Key.Item2, p.Value))],
            unspaced.GroupBy(p => p.Key[0]).ToFrozenDictionary(
                g => g.Key,
                g => g.OrderByDescending(p => p.Key.Length).Select(p => (p.Key, p.Value)).ToArray()));
    }

    /// <summary>
    /// One bit for each pair of characters a prefix stem starts with (and a suffix stem ends with): most words start
    /// and end with a pair no stem has, and skip the table.
    /// </summary>
    private static readonly ulong[] s_prefixPairs = Pairs(s_tables.PrefixStems, stem => (stem[0], stem[1]));

    private static readonly ulong[] s_suffixPairs = Pairs(s_tables.SuffixStems, stem => (stem[^2], stem[^1]));

    private static ulong[] Pairs(IEnumerable<string> stems, Func<string, (char, char)> pair)
    {
        var bits = new ulong[1024];
        foreach (var stem in stems)
        {
            var (a, b) = pair(stem);
            var bit = PairBit(a, b);
            bits[bit >> 6] |= 1UL << (bit & 63);
        }

        return bits;
    }

    private static bool Has(ulong[] bits, char a, char b)
    {
        var bit = PairBit(a, b);
        return (bits[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private static int PairBit(char a, char b) => ((a * 31) + b) & 0xFFFF;

    /// <summary>The first character of the Hebrew and Arabic blocks: infix stems are indexed by their first character from here.</summary>
    private const char InfixFirst = '\u0590';

    private static (string Stem, Lex Lex)[]?[] InfixByFirst(Dictionary<string, Lex> infix)
    {
        var byFirst = new (string Stem, Lex Lex)[]?['\u0800' - InfixFirst];
        foreach (var group in infix.GroupBy(p => p.Key[0]))
        {
            byFirst[group.Key - InfixFirst] = [.. group.Select(p => (p.Key, p.Value))];
        }

        return byFirst;
    }

    /// <summary>Stems grouped by their first (prefixes) or last (suffixes) three characters, longest first: one lookup a word.</summary>
    private static WordTable<(string Stem, Lex Lex)[]> ByKey(Dictionary<string, Lex> stems, Func<string, string> key) =>
        new(stems.GroupBy(p => key(p.Key), StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.OrderByDescending(p => p.Key.Length).Select(p => (p.Key, p.Value)).ToArray())));

    private sealed record Tables(
        WordTable<(Lex Lex, bool PairStart)> Exact,
        WordTable<(string Stem, Lex Lex)[]> Prefix,
        string[] PrefixStems,
        WordTable<(string Stem, Lex Lex)[]> Suffix,
        string[] SuffixStems,
        (string Stem, Lex Lex)[]?[] Infix,
        (string First, string Second, Lex Lex)[] Pairs,
        FrozenDictionary<char, (string Text, Lex Lex)[]> Unspaced);
}
